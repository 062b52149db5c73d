import { type AppContext, queryRows } from '@ebay-connector/server';
import { sql } from 'drizzle-orm';

/** Reading and ageing the token rows of one org, for the fault stage. */

export interface RoundProgress {
  total: number;
  /** Attempted since the round started (refreshed or failed). */
  attempted: number;
  /** Attempted since the round started, and no lease held any more. */
  settled: number;
  refreshed: number;
  leased: number;
  leasedBy: number;
}

export async function roundProgress(
  ctx: AppContext,
  orgId: string,
  since: Date,
  leasePrefix = '(no lease owner)',
): Promise<RoundProgress> {
  const s = since.toISOString();
  const [row] = await queryRows<RoundProgress>(
    ctx.db,
    sql`select count(*)::int as total,
          count(*) filter (where t.last_refresh_at >= ${s}::timestamptz)::int as attempted,
          count(*) filter (where t.last_refresh_at >= ${s}::timestamptz and t.lease_owner is null)::int as settled,
          count(*) filter (where t.last_refresh_at >= ${s}::timestamptz and t.last_refresh_success)::int as refreshed,
          count(*) filter (where t.lease_owner is not null)::int as leased,
          count(*) filter (where starts_with(t.lease_owner, ${leasePrefix}))::int as "leasedBy"
        from ebay_tokens t join ebay_accounts a on a.id = t.account_id where a.org_id = ${orgId}`,
  );
  return row!;
}

/**
 * "Time passes": every access token of the org expires within a minute and any backoff is
 * over, so the next worker cycle finds all of them due. Returns when the round starts.
 */
export async function ageTokens(ctx: AppContext, orgId: string): Promise<Date> {
  const since = new Date();
  await ctx.db.execute(
    sql`update ebay_tokens t
        set access_expires_at = least(t.access_expires_at, now() + interval '60 seconds'), next_attempt_at = null
        from ebay_accounts a where a.id = t.account_id and a.org_id = ${orgId}`,
  );
  return since;
}

export interface FinalTokenRow {
  account_id: string;
  status: string;
  access_token: string | null;
  refresh_token: string;
  version: number;
  lease_owner: string | null;
  last_refresh_success: boolean | null;
  last_error_code: string | null;
  next_attempt_at: Date | null;
  successes: number;
}

/** Every account of the org with its token row and how many successful refreshes its log records. */
export async function finalTokenRows(ctx: AppContext, orgId: string): Promise<FinalTokenRow[]> {
  return queryRows<FinalTokenRow>(
    ctx.db,
    sql`select a.id as account_id, a.status, t.access_token, t.refresh_token, t.version, t.lease_owner,
          t.last_refresh_success, t.last_error_code, t.next_attempt_at,
          (select count(*)::int from ebay_token_refresh_logs l where l.account_id = a.id and l.success) as successes
        from ebay_accounts a left join ebay_tokens t on t.account_id = a.id where a.org_id = ${orgId}`,
  );
}

/** Failed attempts of the org by error code (every one must carry a classified code). */
export async function failuresByCode(ctx: AppContext, orgId: string): Promise<Record<string, number>> {
  const rows = await queryRows<{ code: string | null; n: number }>(
    ctx.db,
    sql`select error_code as code, count(*)::int as n from ebay_token_refresh_logs
        where org_id = ${orgId} and not success group by error_code`,
  );
  return Object.fromEntries(rows.map((r) => [r.code ?? 'null', r.n]));
}
