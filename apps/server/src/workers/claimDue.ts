import type { Environment } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import {
  REFRESH_TARGET_COLUMNS,
  type RefreshTarget,
  type RefreshTargetRow,
  toRefreshTarget,
} from '../tokens/refresh/refreshRecord.ts';

/**
 * Which accounts the token refresh worker takes on, and the lease that makes sure only one
 * worker instance refreshes an account at a time. One query per function (graphile-worker's
 * `src/sql/` style). Times come from the caller's clock (`ctx.now()`), so tests can move it.
 */

export interface DueQuery {
  now: Date;
  /** Refresh when the access token expires within this many seconds (plus the account's jitter). */
  thresholdSeconds: number;
}

export interface ClaimedAccount {
  accountId: string;
  orgId: string;
  houseName: string;
  environment: Environment;
  consecutiveFailures: number;
  leaseUntil: Date;
  /** The token as claimed, so the first attempt needs no read of its own. */
  target: RefreshTarget;
}

/**
 * Leases up to `limit` due accounts to `owner` until `now + leaseSeconds`.
 * Due: account active; access token missing or expiring within threshold + jitter_seconds;
 * refresh token not expired; next_attempt_at unset or passed; lease free or expired; and not
 * refreshed since `notRefreshedSince` (an account refreshed in this cycle, by any instance, is
 * not claimed again in it). `FOR UPDATE SKIP LOCKED` lets concurrent instances claim disjoint
 * rows without waiting for each other; the row re-check on lock keeps a just-leased row out.
 */
export async function claimDueAccounts(
  db: Db,
  q: DueQuery & { owner: string; leaseSeconds: number; limit: number; notRefreshedSince: Date },
): Promise<ClaimedAccount[]> {
  const now = q.now.toISOString();
  const leaseUntil = new Date(q.now.getTime() + q.leaseSeconds * 1000);
  const rows = await queryRows<
    RefreshTargetRow & { account_id: string; house_name: string; consecutive_failures: number }
  >(
    db,
    sql`
      with due as (
        select t.account_id
        from ebay_tokens t
        join ebay_accounts a on a.id = t.account_id
        where ${dueCondition(q)}
          and (t.lease_owner is null or t.lease_until is null or t.lease_until <= ${now}::timestamptz)
          and (t.last_refresh_at is null or t.last_refresh_at < ${q.notRefreshedSince.toISOString()}::timestamptz)
        order by t.access_expires_at asc nulls first
        limit ${q.limit}
        for update of t skip locked
      )
      update ebay_tokens t
      set lease_owner = ${q.owner}, lease_until = ${leaseUntil.toISOString()}::timestamptz
      from due, ebay_accounts a
      where t.account_id = due.account_id and a.id = t.account_id
      returning t.account_id, a.house_name, t.consecutive_failures, ${REFRESH_TARGET_COLUMNS}`,
  );
  return rows.map((r) => ({
    accountId: r.account_id,
    orgId: r.org_id,
    houseName: r.house_name,
    environment: r.environment,
    consecutiveFailures: Number(r.consecutive_failures),
    leaseUntil,
    target: toRefreshTarget(r.account_id, r),
  }));
}

/** Active accounts with tokens: what a cycle looked at (`checked` in the summary). */
export async function countActiveAccounts(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ebay_tokens t join ebay_accounts a on a.id = t.account_id
        where a.status = 'active'`,
  );
  return Number(row?.n ?? 0);
}

/** Accounts that would be claimed now, ignoring leases (for the status page and the CLI). */
export async function countDueAccounts(db: Db, q: DueQuery): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ebay_tokens t join ebay_accounts a on a.id = t.account_id
        where ${dueCondition(q)}`,
  );
  return Number(row?.n ?? 0);
}

function dueCondition(q: DueQuery) {
  const now = q.now.toISOString();
  return sql`a.status = 'active'
    and (t.access_token is null or t.access_expires_at is null
         or t.access_expires_at <= ${now}::timestamptz
            + make_interval(secs => ${q.thresholdSeconds}::int + t.jitter_seconds))
    and (t.refresh_expires_at is null or t.refresh_expires_at > ${now}::timestamptz)
    and (t.next_attempt_at is null or t.next_attempt_at <= ${now}::timestamptz)`;
}

export interface ExpiredAccount {
  accountId: string;
  orgId: string;
  environment: Environment;
}

/**
 * Active accounts whose refresh token has expired cannot be refreshed: eBay would answer
 * invalid_grant. Marks them (token row: refresh_token_expired, account: needs_reconnect) without
 * calling eBay, so the status page says "reconnect" instead of the worker failing every cycle.
 */
export async function markRefreshTokensExpired(
  db: Db,
  q: { now: Date; retryAt: Date; limit: number },
): Promise<ExpiredAccount[]> {
  const now = q.now.toISOString();
  const rows = await queryRows<{ account_id: string; org_id: string; environment: Environment }>(
    db,
    sql`
      with expired as (
        select t.account_id, t.refresh_expires_at
        from ebay_tokens t
        join ebay_accounts a on a.id = t.account_id
        where a.status = 'active'
          and t.refresh_expires_at <= ${now}::timestamptz
          and (t.lease_owner is null or t.lease_until is null or t.lease_until <= ${now}::timestamptz)
        limit ${q.limit}
        for update of t skip locked
      ), marked as (
        update ebay_tokens t
        set last_error_code = 'refresh_token_expired',
            last_error_message = 'The refresh token expired at '
              || to_char(expired.refresh_expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
              || '; the seller must reconnect the account.',
            last_refresh_success = false,
            next_attempt_at = ${q.retryAt.toISOString()}::timestamptz,
            updated_at = ${now}::timestamptz
        from expired
        where t.account_id = expired.account_id
        returning t.account_id, t.last_error_message
      )
      update ebay_accounts a
      set status = 'needs_reconnect', status_reason = marked.last_error_message, updated_at = ${now}::timestamptz
      from marked
      where a.id = marked.account_id
      returning a.id as account_id, a.org_id, a.environment`,
  );
  return rows.map((r) => ({ accountId: r.account_id, orgId: r.org_id, environment: r.environment }));
}
