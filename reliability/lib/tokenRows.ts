import { type AppContext, dbDateOrNull, dbInt, queryRows } from '@ebay-connector/server';
import { sql } from 'drizzle-orm';
import { z } from 'zod';

/** Reading and ageing the token rows of one org, for the fault stage. */

const roundProgressRow = z.object({
  total: dbInt,
  /** Attempted since the round started (refreshed or failed). */
  attempted: dbInt,
  /** Attempted since the round started, and no lease held any more. */
  settled: dbInt,
  refreshed: dbInt,
  leased: dbInt,
  leasedBy: dbInt,
});
export type RoundProgress = z.output<typeof roundProgressRow>;

export async function roundProgress(
  ctx: AppContext,
  orgId: string,
  since: Date,
  leasePrefix = '(no lease owner)',
): Promise<RoundProgress> {
  const s = since.toISOString();
  const [row] = await queryRows(
    ctx.db,
    sql`select count(*)::int as total,
          count(*) filter (where t.last_refresh_at >= ${s}::timestamptz)::int as attempted,
          count(*) filter (where t.last_refresh_at >= ${s}::timestamptz and t.lease_owner is null)::int as settled,
          count(*) filter (where t.last_refresh_at >= ${s}::timestamptz and t.last_refresh_success)::int as refreshed,
          count(*) filter (where t.lease_owner is not null)::int as leased,
          count(*) filter (where starts_with(t.lease_owner, ${leasePrefix}))::int as "leasedBy"
        from ebay_tokens t join ebay_accounts a on a.id = t.account_id where a.org_id = ${orgId}`,
    roundProgressRow,
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

const finalTokenRow = z.object({
  account_id: z.string(),
  status: z.string(),
  access_token: z.string().nullable(),
  refresh_token: z.string(),
  version: dbInt,
  lease_owner: z.string().nullable(),
  last_refresh_success: z.boolean().nullable(),
  last_error_code: z.string().nullable(),
  next_attempt_at: dbDateOrNull,
  successes: dbInt,
});
export type FinalTokenRow = z.output<typeof finalTokenRow>;

/** Every account of the org with its token row and how many successful refreshes its log records. */
export async function finalTokenRows(ctx: AppContext, orgId: string): Promise<FinalTokenRow[]> {
  return queryRows(
    ctx.db,
    sql`select a.id as account_id, a.status, t.access_token, t.refresh_token, t.version, t.lease_owner,
          t.last_refresh_success, t.last_error_code, t.next_attempt_at,
          (select count(*)::int from ebay_token_refresh_logs l where l.account_id = a.id and l.success) as successes
        from ebay_accounts a left join ebay_tokens t on t.account_id = a.id where a.org_id = ${orgId}`,
    finalTokenRow,
  );
}

/** Failed attempts of the org by error code (every one must carry a classified code). */
export async function failuresByCode(ctx: AppContext, orgId: string): Promise<Record<string, number>> {
  const rows = await queryRows(
    ctx.db,
    sql`select error_code as code, count(*)::int as n from ebay_token_refresh_logs
        where org_id = ${orgId} and not success group by error_code`,
    z.object({ code: z.string().nullable(), n: dbInt }),
  );
  return Object.fromEntries(rows.map((r) => [r.code ?? 'null', r.n]));
}
