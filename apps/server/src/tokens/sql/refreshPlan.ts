import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../../db/client.ts';
import { dbInt } from '../../db/rows.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';

/**
 * The refresh plan's SQL (workers/refreshPlan.ts): the accounts per effective policy, and the
 * `ebay_accounts.refresh_warm` flag the claim reads (claimDue.ts). Only accounts the worker could
 * refresh count (active, with tokens).
 */

export type RefreshPolicy = 'auto' | 'warm' | 'on_demand';

/** Active accounts with tokens, by effective policy. */
export interface PolicyCounts {
  warm: number;
  auto: number;
  on_demand: number;
}

const effectivePolicy = (defaultPolicy: RefreshPolicy) =>
  sql`coalesce(${a.refreshPolicy}, ${defaultPolicy}::text)`;

export async function countAccountsByPolicy(db: Db, defaultPolicy: RefreshPolicy): Promise<PolicyCounts> {
  const rows = await queryRows(
    db,
    sql`select ${effectivePolicy(defaultPolicy)} as policy, count(*)::int as n
        from ebay_accounts join ebay_tokens on ${t.accountId} = ${a.id}
        where ${a.status} = 'active'
        group by 1`,
    z.object({ policy: z.enum(['auto', 'warm', 'on_demand']), n: dbInt }),
  );
  const counts: PolicyCounts = { warm: 0, auto: 0, on_demand: 0 };
  for (const row of rows) counts[row.policy] = row.n;
  return counts;
}

/** One org's active accounts in and out of the warm set now (the Workers page: its own accounts only). */
export async function countOrgWarmSet(db: Db, orgId: string): Promise<{ warm: number; on_demand: number }> {
  const [row] = await queryRows(
    db,
    sql`select count(*) filter (where ${a.refreshWarm})::int as warm,
               count(*) filter (where not ${a.refreshWarm})::int as on_demand
        from ebay_accounts join ebay_tokens on ${t.accountId} = ${a.id}
        where ${a.orgId} = ${orgId} and ${a.status} = 'active'`,
    z.object({ warm: dbInt, on_demand: dbInt }),
  );
  return { warm: row?.warm ?? 0, on_demand: row?.on_demand ?? 0 };
}

/** Every org's active accounts in and out of the warm set (each cycle entry keeps them, per org). */
export async function countWarmSetByOrg(
  db: Db,
): Promise<Record<string, { warm: number; on_demand: number }>> {
  const rows = await queryRows(
    db,
    sql`select ${a.orgId} as org_id, count(*) filter (where ${a.refreshWarm})::int as warm,
               count(*) filter (where not ${a.refreshWarm})::int as on_demand
        from ebay_accounts join ebay_tokens on ${t.accountId} = ${a.id}
        where ${a.status} = 'active'
        group by 1`,
    z.object({ org_id: z.string(), warm: dbInt, on_demand: dbInt }),
  );
  return Object.fromEntries(rows.map((row) => [row.org_id, { warm: row.warm, on_demand: row.on_demand }]));
}

/**
 * Sets the warm set: every `warm` account, no `on_demand` one, and the `autoWarm` most recently
 * used `auto` accounts (never used last, then oldest connected first). Writes only the rows
 * whose flag changes, under a transaction-scoped advisory lock so replicas planning at once
 * do not deadlock on the same rows. Returns how many flags changed.
 */
export async function applyWarmSet(
  db: Db,
  plan: { defaultPolicy: RefreshPolicy; autoWarm: number },
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('ebay_refresh_plan'))`);
    const rows = await queryRows(
      tx,
      sql`with policies as (
            select ${a.id} as id, ${effectivePolicy(plan.defaultPolicy)} as policy,
                   ${a.lastUsedAt} as last_used_at, ${a.createdAt} as created_at
            from ebay_accounts join ebay_tokens on ${t.accountId} = ${a.id}
            where ${a.status} = 'active'
          ), planned as (
            select id, case policy when 'warm' then true when 'on_demand' then false
              else row_number() over (partition by policy
                     order by last_used_at desc nulls last, created_at asc, id asc) <= ${plan.autoWarm}::int
              end as warm
            from policies
          )
          update ebay_accounts set refresh_warm = planned.warm
          from planned
          where ${a.id} = planned.id and ${a.refreshWarm} <> planned.warm
          returning ${a.id}`,
      z.object({ id: z.string() }),
    );
    return rows.length;
  });
}
