import type { AccountDetail } from '@ebay-connector/contracts';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';
import { presentAccount } from '../status/accountQuery.ts';
import { queryTokenStatus } from '../status/statusQuery.ts';

/**
 * The account page: the account (removed ones too, so their history stays explainable), its
 * token state as the Workers page derives it, the scopes it granted against the ones this
 * deployment asks for, and how the worker refreshes it. Secret-free; the token facts (masked
 * values, key ids, decryptability) are the logged `token-info` view.
 */
export async function getAccountDetail(
  ctx: AppContext,
  orgId: string,
  accountId: string,
): Promise<AccountDetail | null> {
  const [row] = await ctx.db
    .select({ account: a, scopes: t.scopes, jitterSeconds: t.jitterSeconds })
    .from(a)
    .leftJoin(t, eq(t.accountId, a.id))
    .where(and(eq(a.id, accountId), eq(a.orgId, orgId)))
    .limit(1);
  if (!row) return null;
  const status = await queryTokenStatus(ctx, orgId, { accountId, limit: 1, offset: 0 });
  const granted = row.scopes ?? [];
  // Same rule as the refresh core: an empty granted list means "not recorded", not "none".
  const missing = granted.length > 0 ? ctx.ebay.scopes.filter((s) => !granted.includes(s)) : [];
  return {
    account: { ...presentAccount(row.account), updated_at: row.account.updatedAt.toISOString() },
    token_status: status.accounts[0] ?? null,
    granted_scopes: granted,
    missing_scopes: missing,
    refresh_policy: {
      kind: 'default',
      interval_seconds: ctx.env.TOKEN_REFRESH_INTERVAL_SECONDS,
      threshold_seconds: ctx.env.TOKEN_REFRESH_THRESHOLD_SECONDS,
      jitter_seconds: row.jitterSeconds,
      policy: row.account.refreshPolicy,
      effective_policy: row.account.refreshPolicy ?? ctx.env.TOKEN_REFRESH_POLICY,
      warm: row.account.refreshWarm,
    },
    last_used_at: row.account.lastUsedAt?.toISOString() ?? null,
  };
}
