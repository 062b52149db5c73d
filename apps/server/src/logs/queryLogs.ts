import {
  type Action,
  type Environment,
  type LogEntry,
  messageWithoutCode,
  type RefreshErrorCode,
  type RefreshLogRow,
  type Source,
} from '@ebay-connector/contracts';
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { ebayAccounts, ebayTokenRefreshLogs, ebayConnectLogs as logs } from '../db/schema.ts';
import { maskFreeText } from './mask.ts';
import { type LogRow, presentLogEntry } from './presentLogEntry.ts';

/** Reading connect logs for the JSON viewer, the unified terminal and its live stream. */

export interface LogFilter {
  orgId: string;
  actions: readonly Action[];
  env?: Environment | undefined;
  sources?: readonly Source[] | undefined;
  accountId?: string | undefined;
  errorsOnly?: boolean | undefined;
  /** Failing with one of these codes (terminal history only, not the live stream). */
  errorCodes?: readonly RefreshErrorCode[] | undefined;
  /** Written at or after `from`, before `to`. */
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * The searchable text of an entry: its action, error code and error message
 * (`connect_log_search_text`, migration 0010, trigram-indexed where pg_trgm exists), and its
 * account's house name and eBay username. Never request or response bodies.
 */
export interface LogSearch {
  text: string;
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
  const shared = [
    sources,
    filter.errorsOnly ? isNotNull(logs.error) : undefined,
    filter.errorCodes?.length
      ? sql`${logs.error}->>'code' in (${sql.join(
          filter.errorCodes.map((c) => sql`${c}`),
          sql`, `,
        )})`
      : undefined,
    filter.from ? gte(logs.createdAt, filter.from) : undefined,
    filter.to ? lt(logs.createdAt, filter.to) : undefined,
  ];
  const own = and(
    eq(logs.orgId, filter.orgId),
    inArray(logs.action, [...filter.actions]),
    filter.env ? eq(logs.environment, filter.env) : undefined,
    filter.accountId ? eq(logs.accountId, filter.accountId) : undefined,
    ...shared,
  )!;
  if (!cyclesVisible(filter)) return own;
  const cycles = and(isNull(logs.orgId), eq(logs.action, 'token_refresh_cycle'), ...shared);
  return or(own, cycles)!;
}

/** `%text%` for ILIKE, its wildcards and escape character taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The ids of the first page of search matches, as two branches the planner can each answer
 * from an index: the entry's own text (trigram index on `connect_log_search_text`) and the
 * entries of the org's accounts whose house name or eBay username match (the accounts'
 * trigram index of 0003, then `connect_logs_account_idx`). An OR of the two in one WHERE
 * could use neither and would scan the org's history.
 */
function searchIds(
  db: Db,
  filter: LogFilter,
  search: LogSearch,
  keyset: SQL | undefined,
  limit: number,
): SQL {
  const pattern = containsPattern(search.text);
  const where = filterCondition(filter);
  const byText = db
    .select({ id: logs.id })
    .from(logs)
    .where(and(where, keyset, sql`connect_log_search_text(${logs.action}, ${logs.error}) ilike ${pattern}`))
    .orderBy(desc(logs.id))
    .limit(limit);
  const byAccount = db
    .select({ id: logs.id })
    .from(logs)
    .where(
      and(
        where,
        keyset,
        inArray(
          logs.accountId,
          db
            .select({ id: ebayAccounts.id })
            .from(ebayAccounts)
            .where(
              and(
                eq(ebayAccounts.orgId, filter.orgId),
                or(
                  sql`${ebayAccounts.houseName} ilike ${pattern}`,
                  sql`${ebayAccounts.ebayUsername} ilike ${pattern}`,
                ),
              ),
            ),
        ),
      ),
    )
    .orderBy(desc(logs.id))
    .limit(limit);
  return sql`${logs.id} in ((${byText}) union (${byAccount}))`;
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
  const keyset = and(
    page.beforeId !== undefined ? lt(logs.id, page.beforeId) : undefined,
    page.afterId !== undefined ? gt(logs.id, page.afterId) : undefined,
  );
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
      ebayUsername: ebayAccounts.ebayUsername,
    })
    .from(logs)
    .leftJoin(ebayAccounts, eq(ebayAccounts.id, logs.accountId))
    .where(and(where, keyset))
    .orderBy(page.order === 'asc' ? asc(logs.id) : desc(logs.id))
    .limit(page.limit);
  return rows as LogRow[];
}

/**
 * A page of entries, newest first, and the `before_id` of the next page (null at the end).
 * With a search, a match is kept only if the entry as shown (masked) still contains the text,
 * so a search never confirms what masking hides; such a page may hold fewer than `limit`
 * entries and still have a next page.
 */
export async function queryLogEntries(
  db: Db,
  filter: LogFilter,
  page: Omit<LogPage, 'order' | 'afterId'>,
  clientSecret?: string,
  search?: LogSearch,
): Promise<{ entries: LogEntry[]; nextBeforeId: number | null }> {
  const keyset = page.beforeId !== undefined ? lt(logs.id, page.beforeId) : undefined;
  const rows = search
    ? // A first page under a LIMIT gains nothing from parallel workers and, on a busy machine, waits
      // for them (benchmark 3: 20 ms serial, 266 ms as a Gather Merge at load 11).
      await db.transaction(async (tx) => {
        await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
        return selectLogRows(tx, searchIds(db, filter, search, keyset, page.limit), {
          ...page,
          order: 'desc',
        });
      })
    : await selectLogRows(db, filterCondition(filter), { ...page, order: 'desc' });
  let entries = rows.map((row) => presentLogEntry(row, filter.orgId, clientSecret));
  if (search) {
    const text = search.text.toLowerCase();
    entries = entries.filter((entry, i) => shownText(entry, rows[i]!.ebayUsername).includes(text));
  }
  const last = rows.at(-1);
  return { entries, nextBeforeId: rows.length === page.limit && last ? last.id : null };
}

/** What a search looks at, as the org sees it. */
function shownText(entry: LogEntry, ebayUsername: string | null | undefined): string {
  const error = entry.error ? `${entry.error.code}: ${entry.error.message}` : null;
  return [entry.house_name, ebayUsername, entry.action, error].filter(Boolean).join('\n').toLowerCase();
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
