import type { RefreshPolicyValue, SetRefreshPolicyResult } from '@ebay-connector/contracts';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { ebayAccounts as a } from '../../db/schema.ts';
import { presentAccount } from '../status/accountQuery.ts';

/**
 * Sets an account's refresh policy (issue 12). `warm` and `on_demand` take effect at once (the
 * account joins or leaves the warm set the worker claims from); `auto` and null (the deployment
 * default) leave the warm flag to the next cycle's plan. Null when the org has no such account.
 */
export async function setRefreshPolicy(
  ctx: Pick<AppContext, 'db' | 'env'>,
  input: { orgId: string; accountId: string; policy: RefreshPolicyValue | null; now: Date },
): Promise<SetRefreshPolicyResult | null> {
  const effective = input.policy ?? ctx.env.TOKEN_REFRESH_POLICY;
  const warm = effective === 'warm' ? true : effective === 'on_demand' ? false : undefined;
  const [row] = await ctx.db
    .update(a)
    .set({
      refreshPolicy: input.policy,
      ...(warm === undefined ? {} : { refreshWarm: warm }),
      updatedAt: input.now,
    })
    .where(and(eq(a.id, input.accountId), eq(a.orgId, input.orgId)))
    .returning();
  if (!row) return null;
  return {
    account: presentAccount(row),
    refresh_policy: row.refreshPolicy,
    effective_policy: effective,
    warm: row.refreshWarm,
  };
}
