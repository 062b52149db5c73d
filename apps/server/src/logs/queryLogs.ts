import {
  type Action,
  type Environment,
  type LogEntry,
  messageWithoutCode,
  type RefreshLogRow,
  type Source,
} from '@ebay-connector/contracts';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { ebayAccounts, ebayTokenRefreshLogs, ebayConnectLogs as logs } from '../db/schema.ts';
import { maskFreeText } from './mask.ts';
import { type LogRow, presentLogEntry } from './presentLogEntry.ts';

/** Reading connect logs for the JSON viewer, the unified terminal and its live stream. */

/** The JSON viewer's actions (the seed report's list). */
export const TOKEN_LOG_ACTIONS: readonly Action[] = [
  'token_refreshed',
  'token_refresh_failed',
  'token_info_viewed',
  'token_call_blocked_missing_scopes',
];
const CONNECT_ACTIONS: readonly Action[] = [
  'connect_started',
  'token_exchanged',
  'connect_completed',
  'connect_failed',
  // What happened to the account since it was connected (the account's connect log).
  'account_disabled',
  'account_enabled',
  'account_removed',
  'account_deleted',
];
export const TERMINAL_ACTIONS: Record<'token' | 'connect' | 'all', readonly Action[]> = {
  // `account_deleted` (eBay's account-deletion notification) shows in the token worker terminal too.
  token: [
    ...TOKEN_LOG_ACTIONS,
    'token_refresh_debug',
    'token_refresh_cycle',
    'token_repaired',
    'account_deleted',
  ],
  connect: CONNECT_ACTIONS,
  all: [
    ...TOKEN_LOG_ACTIONS,
    'token_refresh_debug',
    'token_refresh_cycle',
    'token_repaired',
    ...CONNECT_ACTIONS,
  ],
};

export interface LogFilter {
  orgId: string;
  actions: readonly Action[];
  env?: Environment | undefined;
  sources?: readonly Source[] | undefined;
  accountId?: string | undefined;
  errorsOnly?: boolean | undefined;
}

export interface LogPage {
  beforeId?: number | undefined;
  afterId?: number | undefined;
  limit: number;
  /** `desc`: newest first (pages); `asc`: oldest first (stream resume). */
  order: 'asc' | 'desc';
}

/**
 * Cycle entries carry no org, environment or account: they show unless the filter asks for
 * one account; source and errors-only (an open circuit) apply to them as to any row.
 */
function cyclesVisible(filter: LogFilter): boolean {
  return filter.actions.includes('token_refresh_cycle') && !filter.accountId;
}

function filterCondition(filter: LogFilter): SQL {
  const sources = filter.sources?.length ? inArray(logs.source, [...filter.sources]) : undefined;
  const own = and(
    eq(logs.orgId, filter.orgId),
    inArray(logs.action, [...filter.actions]),
    filter.env ? eq(logs.environment, filter.env) : undefined,
    filter.accountId ? eq(logs.accountId, filter.accountId) : undefined,
    filter.errorsOnly ? isNotNull(logs.error) : undefined,
    sources,
  )!;
  if (!cyclesVisible(filter)) return own;
  const cycles = and(
    isNull(logs.orgId),
    eq(logs.action, 'token_refresh_cycle'),
    sources,
    filter.errorsOnly ? isNotNull(logs.error) : undefined,
  );
  return or(own, cycles)!;
}

/** Whether a row read by the shared stream poller belongs in this subscriber's view. */
export function rowMatchesFilter(row: LogRow, filter: LogFilter): boolean {
  if (filter.sources?.length && !filter.sources.includes(row.source)) return false;
  if (row.orgId === null) {
    return (
      row.action === 'token_refresh_cycle' &&
      cyclesVisible(filter) &&
      (!filter.errorsOnly || row.error !== null)
    );
  }
  return (
    row.orgId === filter.orgId &&
    filter.actions.includes(row.action) &&
    (!filter.env || row.environment === filter.env) &&
    (!filter.accountId || row.accountId === filter.accountId) &&
    (!filter.errorsOnly || row.error !== null)
  );
}

/** Connect-log rows with the account's house name; `where` is one SQL condition. */
export async function selectLogRows(db: Db, where: SQL | undefined, page: LogPage): Promise<LogRow[]> {
  const rows = await db
    .select({
      id: logs.id,
      orgId: logs.orgId,
      accountId: logs.accountId,
      environment: logs.environment,
      action: logs.action,
      source: logs.source,
      request: logs.request,
      response: logs.response,
      error: logs.error,
      summary: logs.summary,
      durationMs: logs.durationMs,
      createdAt: logs.createdAt,
      houseName: ebayAccounts.houseName,
    })
    .from(logs)
    .leftJoin(ebayAccounts, eq(ebayAccounts.id, logs.accountId))
    .where(
      and(
        where,
        page.beforeId !== undefined ? lt(logs.id, page.beforeId) : undefined,
        page.afterId !== undefined ? gt(logs.id, page.afterId) : undefined,
      ),
    )
    .orderBy(page.order === 'asc' ? asc(logs.id) : desc(logs.id))
    .limit(page.limit);
  return rows as LogRow[];
}

/** A page of entries, newest first, and the `before_id` of the next page (null at the end). */
export async function queryLogEntries(
  db: Db,
  filter: LogFilter,
  page: Omit<LogPage, 'order' | 'afterId'>,
  clientSecret?: string,
): Promise<{ entries: LogEntry[]; nextBeforeId: number | null }> {
  const rows = await selectLogRows(db, filterCondition(filter), { ...page, order: 'desc' });
  const entries = rows.map((row) => presentLogEntry(row, filter.orgId, clientSecret));
  const last = entries.at(-1);
  return { entries, nextBeforeId: entries.length === page.limit && last ? last.id : null };
}

/** Entries after `afterId`, oldest first: what a reconnecting stream missed. */
export async function queryLogEntriesAfter(
  db: Db,
  filter: LogFilter,
  afterId: number,
  limit: number,
  clientSecret?: string,
): Promise<LogEntry[]> {
  const rows = await selectLogRows(db, filterCondition(filter), { afterId, limit, order: 'asc' });
  return rows.map((row) => presentLogEntry(row, filter.orgId, clientSecret));
}

/** "View log": one account's refresh attempts, newest first. The caller has checked the org. */
export async function listRefreshLogs(
  db: Db,
  orgId: string,
  accountId: string,
  limit: number,
): Promise<RefreshLogRow[]> {
  const r = ebayTokenRefreshLogs;
  const rows = await db
    .select()
    .from(r)
    .where(and(eq(r.orgId, orgId), eq(r.accountId, accountId)))
    .orderBy(desc(r.id))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    started_at: row.startedAt.toISOString(),
    finished_at: row.finishedAt.toISOString(),
    success: row.success,
    error_code: row.errorCode,
    error_message:
      row.errorMessage === null ? null : maskFreeText(messageWithoutCode(row.errorCode, row.errorMessage)),
    triggered_by: row.triggeredBy,
    old_access_expires_at: row.oldAccessExpiresAt?.toISOString() ?? null,
    new_access_expires_at: row.newAccessExpiresAt?.toISOString() ?? null,
    duration_ms: row.durationMs,
    connect_log_id: row.connectLogId,
  }));
}
