import type { Environment } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../../db/client.ts';
import { dbInt } from '../../db/rows.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';
import { type DueQuery, isDue } from './dueRule.ts';
import { leaseFree } from './leases.ts';
import {
  REFRESH_TARGET_COLUMNS,
  type RefreshTarget,
  refreshTargetColumns,
  toRefreshTarget,
} from './refreshTarget.ts';

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

const claimedRow = refreshTargetColumns.extend({ house_name: z.string(), consecutive_failures: dbInt });

/**
 * Leases up to `limit` due accounts (dueRule.ts) to `owner` until `now + leaseSeconds`, skipping
 * rows whose lease is held and rows refreshed since `notRefreshedSince` (an account refreshed in
 * this cycle, by any instance, is not claimed again in it). Soonest expiry first, walking
 * `ebay_tokens_due_idx` until one batch is found. `FOR UPDATE SKIP LOCKED` lets concurrent
 * instances claim disjoint rows without waiting for each other; the row re-check on lock keeps
 * a just-leased row out. With `warmOnly`, accounts outside the refresh plan's warm set are left
 * to on-demand refreshes.
 */
export async function claimDueAccounts(
  db: Db,
  q: DueQuery & {
    owner: string;
    leaseSeconds: number;
    limit: number;
    notRefreshedSince: Date;
    /** Only accounts in the refresh plan's warm set (`refresh_warm`); the worker always sets it. */
    warmOnly?: boolean;
  },
): Promise<ClaimedAccount[]> {
  const leaseUntil = new Date(q.now.getTime() + q.leaseSeconds * 1000);
  const rows = await queryRows(
    db,
    sql`
      with due as (
        select ${t.accountId}
        from ebay_tokens join ebay_accounts on ${a.id} = ${t.accountId}
        where ${isDue(q)} and ${leaseFree(q.now)}${q.warmOnly ? sql` and ${a.refreshWarm}` : sql``}
          and (${t.lastRefreshAt} is null or ${t.lastRefreshAt} < ${q.notRefreshedSince.toISOString()}::timestamptz)
        order by ${t.accessExpiresAt} asc nulls first
        limit ${q.limit}
        for update of ebay_tokens skip locked
      )
      update ebay_tokens
      set lease_owner = ${q.owner}, lease_until = ${leaseUntil.toISOString()}::timestamptz
      from due, ebay_accounts
      where ${t.accountId} = due.account_id and ${a.id} = ${t.accountId}
      returning ${REFRESH_TARGET_COLUMNS}, ${a.houseName}, ${t.consecutiveFailures}`,
    claimedRow,
  );
  return rows.map((r) => ({
    accountId: r.account_id,
    orgId: r.org_id,
    houseName: r.house_name,
    environment: r.environment,
    consecutiveFailures: r.consecutive_failures,
    leaseUntil,
    target: toRefreshTarget(r),
  }));
}
