import type { Action, Environment, Source } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { type Db, queryRows } from '../db/client.ts';
import { writeConnectLog } from '../logs/connectLog.ts';
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

export async function loadRefreshTarget(db: Db, accountId: string): Promise<RefreshTarget | null> {
  const [row] = await queryRows<{
    org_id: string;
    environment: Environment;
    refresh_token: string;
    refresh_expires_at: string | Date | null;
    access_expires_at: string | Date | null;
    scopes: string[];
    version: number;
  }>(
    db,
    sql`select a.org_id, a.environment, t.refresh_token, t.refresh_expires_at, t.access_expires_at, t.scopes, t.version
        from ebay_accounts a join ebay_tokens t on t.account_id = a.id where a.id = ${accountId}`,
  );
  if (!row) return null;
  return {
    accountId,
    orgId: row.org_id,
    environment: row.environment,
    refreshToken: row.refresh_token,
    refreshExpiresAt: toDate(row.refresh_expires_at),
    accessExpiresAt: toDate(row.access_expires_at),
    scopes: row.scopes ?? [],
    version: row.version,
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
 * Writes one attempt in one transaction: the token row (compare-and-set on version and
 * lease owner, so a late worker can never overwrite a newer token), the account status,
 * one connect-log row and one refresh-log row. If the compare-and-set fails the attempt
 * is recorded as `lease_lost` and the stored tokens stay as they are.
 */
export async function recordAttempt(
  ctx: AppContext,
  target: RefreshTarget,
  record: AttemptRecord,
): Promise<{ exchange: Attempt['exchange']; outcome: AttemptOutcome }> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    let outcome = record.outcome;
    const updated = outcome.ok
      ? await storeRefreshedToken(tx, ctx, target, record, outcome, now)
      : await storeFailure(tx, target, record.leaseOwner, outcome.code, outcome.message, now);
    if (!updated) {
      outcome = {
        ok: false,
        code: 'lease_lost',
        transient: true,
        message: 'another process updated this token meanwhile; the stored token was left unchanged',
      };
    } else if (!outcome.ok && RECONNECT_CODES.has(outcome.code)) {
      await tx.execute(
        sql`update ebay_accounts set status = 'needs_reconnect', status_reason = ${outcome.message},
            updated_at = ${now.toISOString()} where id = ${target.accountId}`,
      );
    }
    const connectLogId = await writeConnectLog(tx, {
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
    await tx.execute(
      sql`insert into ebay_token_refresh_logs (org_id, account_id, started_at, finished_at, success, error_code,
            error_message, triggered_by, old_access_expires_at, new_access_expires_at, duration_ms, connect_log_id)
          values (${target.orgId}, ${target.accountId}, ${record.startedAt.toISOString()}, ${now.toISOString()},
            ${outcome.ok}, ${outcome.ok ? null : outcome.code}, ${outcome.ok ? null : outcome.message}, ${record.source},
            ${target.accessExpiresAt?.toISOString() ?? null}, ${outcome.ok ? outcome.accessExpiresAt.toISOString() : null},
            ${record.durationMs}, ${connectLogId})`,
    );
    return { exchange: record.exchange, outcome };
  });
}

function actionFor(debug: boolean, outcome: AttemptOutcome): Action {
  if (debug) return 'token_refresh_debug';
  if (outcome.ok) return 'token_refreshed';
  return outcome.code === 'missing_scopes' ? 'token_call_blocked_missing_scopes' : 'token_refresh_failed';
}

async function storeRefreshedToken(
  tx: Db,
  ctx: AppContext,
  target: RefreshTarget,
  record: Pick<AttemptRecord, 'leaseOwner' | 'releaseLeaseOnSuccess'>,
  outcome: Extract<AttemptOutcome, { ok: true }>,
  now: Date,
): Promise<boolean> {
  // eBay normally returns no new refresh token; store one if it ever does, never erase the old one.
  // Releasing the worker's lease here saves a commit, i.e. a WAL flush, per refresh
  // (docs/PERFORMANCE.md, benchmark 1).
  const release = record.releaseLeaseOnSuccess ? sql`lease_owner = null, lease_until = null,` : sql``;
  const newRefresh = outcome.refreshToken ? ctx.cipher.encrypt(outcome.refreshToken) : null;
  const rows = await queryRows<{ account_id: string }>(
    tx,
    sql`update ebay_tokens set
          access_token = ${ctx.cipher.encrypt(outcome.accessToken)},
          access_expires_at = ${outcome.accessExpiresAt.toISOString()},
          refresh_token = coalesce(${newRefresh}, refresh_token),
          refresh_expires_at = coalesce(${outcome.refreshExpiresAt?.toISOString() ?? null}, refresh_expires_at),
          version = version + 1, last_refresh_at = ${now.toISOString()}, last_refresh_success = true,
          consecutive_failures = 0, last_error_code = null, last_error_message = null, next_attempt_at = null,
          ${release} updated_at = ${now.toISOString()}
        where account_id = ${target.accountId} and version = ${target.version} and lease_owner = ${record.leaseOwner}
        returning account_id`,
  );
  return rows.length === 1;
}

async function storeFailure(
  tx: Db,
  target: RefreshTarget,
  leaseOwner: string,
  code: string,
  message: string,
  now: Date,
): Promise<boolean> {
  const rows = await queryRows<{ account_id: string }>(
    tx,
    sql`update ebay_tokens set last_refresh_at = ${now.toISOString()}, last_refresh_success = false,
          consecutive_failures = consecutive_failures + 1, last_error_code = ${code},
          last_error_message = ${message}, updated_at = ${now.toISOString()}
        where account_id = ${target.accountId} and lease_owner = ${leaseOwner}
        returning account_id`,
  );
  return rows.length === 1;
}

export function toDate(value: string | Date | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}
