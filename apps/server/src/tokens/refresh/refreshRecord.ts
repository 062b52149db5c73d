import type { Action, Environment, Source } from '@ebay-connector/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { connectLogRow } from '../../logs/connectLog.ts';
import type { Attempt, AttemptOutcome } from './refreshAccount.ts';

/** Reading the account to refresh, and writing the outcome of one attempt. */

export interface RefreshTarget {
  accountId: string;
  orgId: string;
  environment: Environment;
  refreshToken: string;
  refreshExpiresAt: Date | null;
  accessExpiresAt: Date | null;
  scopes: string[];
  version: number;
}

/** The columns of a refresh target, as `select`ed or `returning`ed from `ebay_accounts a` and `ebay_tokens t`. */
export const REFRESH_TARGET_COLUMNS = sql`a.org_id, a.environment, t.refresh_token, t.refresh_expires_at,
  t.access_expires_at, t.scopes, t.version`;

export interface RefreshTargetRow {
  org_id: string;
  environment: Environment;
  refresh_token: string;
  refresh_expires_at: string | Date | null;
  access_expires_at: string | Date | null;
  scopes: string[] | null;
  version: number;
}

export async function loadRefreshTarget(db: Db, accountId: string): Promise<RefreshTarget | null> {
  const [row] = await queryRows<RefreshTargetRow>(
    db,
    sql`select ${REFRESH_TARGET_COLUMNS}
        from ebay_accounts a join ebay_tokens t on t.account_id = a.id where a.id = ${accountId}`,
  );
  return row ? toRefreshTarget(accountId, row) : null;
}

export function toRefreshTarget(accountId: string, row: RefreshTargetRow): RefreshTarget {
  return {
    accountId,
    orgId: row.org_id,
    environment: row.environment,
    refreshToken: row.refresh_token,
    refreshExpiresAt: toDate(row.refresh_expires_at),
    accessExpiresAt: toDate(row.access_expires_at),
    scopes: row.scopes ?? [],
    version: Number(row.version),
  };
}

export interface AttemptRecord extends Attempt {
  source: Source;
  debug: boolean;
  leaseOwner: string;
  /**
   * A success releases the lease in the same commit (the worker: its own release afterwards then
   * matches no row and costs no WAL flush). Single-lease callers keep it until their `finally`,
   * so a concurrent on-demand caller keeps waiting until the new token is readable.
   */
  releaseLeaseOnSuccess: boolean;
}

const RECONNECT_CODES = new Set(['invalid_grant', 'refresh_token_expired']);

/**
 * Writes one attempt in one statement (so one commit, and all or nothing): the token row
 * (compare-and-set on version and lease owner, for failures too, so an attempt with a token the
 * seller has since replaced by reconnecting can neither overwrite the new one nor mark it
 * failed), the account status, one connect-log row and one refresh-log row. If the
 * compare-and-set matches nothing, the attempt is recorded as `lease_lost` and the stored
 * tokens stay as they are.
 */
export async function recordAttempt(
  ctx: AppContext,
  target: RefreshTarget,
  record: AttemptRecord,
): Promise<{ exchange: Attempt['exchange']; outcome: AttemptOutcome }> {
  const now = ctx.now();
  const { outcome } = record;
  const tokenUpdate = outcome.ok
    ? refreshedTokenUpdate(ctx, target, record, outcome, now)
    : failureTokenUpdate(target, record.leaseOwner, outcome.code, outcome.message, now);
  const reconnect = !outcome.ok && RECONNECT_CODES.has(outcome.code);
  const written = await queryRows(
    ctx.db,
    sql`with token as (${tokenUpdate}),
      account as (
        update ebay_accounts set status = 'needs_reconnect', status_reason = ${outcome.ok ? null : outcome.message},
          updated_at = ${now.toISOString()}
        where id = ${target.accountId} and ${reconnect}::boolean and exists (select 1 from token)
        returning id
      ),
      ${logRows(target, record, outcome, now, sql`exists (select 1 from token)`)}`,
  );
  if (written.length === 1) return { exchange: record.exchange, outcome };
  const lost: AttemptOutcome = {
    ok: false,
    code: 'lease_lost',
    transient: true,
    message: 'another process updated this token meanwhile; the stored token was left unchanged',
  };
  await ctx.db.execute(sql`with ${logRows(target, record, lost, now, sql`true`)}`);
  return { exchange: record.exchange, outcome: lost };
}

/** `connect_log as (…) insert into ebay_token_refresh_logs …`: both log rows of an attempt, if `condition`. */
function logRows(
  target: RefreshTarget,
  record: AttemptRecord,
  outcome: AttemptOutcome,
  now: Date,
  condition: SQL,
) {
  const connectLog = connectLogRow({
    orgId: target.orgId,
    accountId: target.accountId,
    environment: target.environment,
    action: actionFor(record.debug, outcome),
    source: record.source,
    request: record.exchange?.request ?? null,
    response: record.exchange?.response ?? null,
    error: outcome.ok
      ? null
      : {
          code: outcome.code,
          message: outcome.message,
          ...(outcome.diagnosis ? { diagnosis: outcome.diagnosis } : {}),
        },
    durationMs: record.durationMs,
    createdAt: now,
  });
  return sql`connect_log as (insert into ebay_connect_logs ${connectLog} where ${condition} returning id)
    insert into ebay_token_refresh_logs (org_id, account_id, started_at, finished_at, success, error_code,
      error_message, triggered_by, old_access_expires_at, new_access_expires_at, duration_ms, connect_log_id)
    select ${target.orgId}::uuid, ${target.accountId}::uuid, ${record.startedAt.toISOString()}::timestamptz,
      ${now.toISOString()}::timestamptz, ${outcome.ok}::boolean, ${outcome.ok ? null : outcome.code}::text,
      ${outcome.ok ? null : outcome.message}::text, ${record.source}::text,
      ${target.accessExpiresAt?.toISOString() ?? null}::timestamptz,
      ${outcome.ok ? outcome.accessExpiresAt.toISOString() : null}::timestamptz, ${record.durationMs}::int, connect_log.id
    from connect_log
    returning connect_log_id`;
}

function actionFor(debug: boolean, outcome: AttemptOutcome): Action {
  if (debug) return 'token_refresh_debug';
  if (outcome.ok) return 'token_refreshed';
  return outcome.code === 'missing_scopes' ? 'token_call_blocked_missing_scopes' : 'token_refresh_failed';
}

function refreshedTokenUpdate(
  ctx: AppContext,
  target: RefreshTarget,
  record: Pick<AttemptRecord, 'leaseOwner' | 'releaseLeaseOnSuccess'>,
  outcome: Extract<AttemptOutcome, { ok: true }>,
  now: Date,
): SQL {
  // eBay normally returns no new refresh token; store one if it ever does, never erase the old one.
  // Releasing the worker's lease here saves the worker a statement per refresh
  // (docs/PERFORMANCE.md, benchmark 1).
  const release = record.releaseLeaseOnSuccess ? sql`lease_owner = null, lease_until = null,` : sql``;
  const newRefresh = outcome.refreshToken ? ctx.cipher.encrypt(outcome.refreshToken) : null;
  return sql`update ebay_tokens set
      access_token = ${ctx.cipher.encrypt(outcome.accessToken)},
      access_expires_at = ${outcome.accessExpiresAt.toISOString()},
      refresh_token = coalesce(${newRefresh}, refresh_token),
      refresh_expires_at = coalesce(${outcome.refreshExpiresAt?.toISOString() ?? null}, refresh_expires_at),
      version = version + 1, last_refresh_at = ${now.toISOString()}, last_refresh_success = true,
      consecutive_failures = 0, last_error_code = null, last_error_message = null, next_attempt_at = null,
      ${release} updated_at = ${now.toISOString()}
    where account_id = ${target.accountId} and version = ${target.version} and lease_owner = ${record.leaseOwner}
    returning account_id`;
}

function failureTokenUpdate(
  target: RefreshTarget,
  leaseOwner: string,
  code: string,
  message: string,
  now: Date,
): SQL {
  return sql`update ebay_tokens set last_refresh_at = ${now.toISOString()}, last_refresh_success = false,
      consecutive_failures = consecutive_failures + 1, last_error_code = ${code},
      last_error_message = ${message}, updated_at = ${now.toISOString()}
    where account_id = ${target.accountId} and version = ${target.version} and lease_owner = ${leaseOwner}
    returning account_id`;
}

export function toDate(value: string | Date | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}
