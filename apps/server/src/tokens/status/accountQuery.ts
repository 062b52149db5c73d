import type { Account, AccountListItem, AccountStatus, Environment } from '@ebay-connector/contracts';
import { and, asc, eq, ne } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';
import { tokenStateSql } from '../sql/tokenState.ts';

/** The org's accounts: every account-scoped route resolves its id here first. */

export interface OrgAccount {
  id: string;
  orgId: string;
  environment: Environment;
  houseName: string;
  status: AccountStatus;
}

/** The account if it belongs to the org; null for a missing id and for another org's id alike. */
export async function findAccountInOrg(db: Db, orgId: string, accountId: string): Promise<OrgAccount | null> {
  const [row] = await db
    .select({
      id: a.id,
      orgId: a.orgId,
      environment: a.environment,
      houseName: a.houseName,
      status: a.status,
    })
    .from(a)
    .where(and(eq(a.id, accountId), eq(a.orgId, orgId)))
    .limit(1);
  return row ?? null;
}

/** The org's accounts, each with its token state by the rule the Workers page uses (tokenState.ts). */
export async function listAccounts(
  ctx: AppContext,
  orgId: string,
  env?: Environment,
): Promise<AccountListItem[]> {
  const state = tokenStateSql(ctx.now(), ctx.env.TOKEN_REFRESH_THRESHOLD_SECONDS);
  const rows = await ctx.db
    .select({ account: a, state })
    .from(a)
    .leftJoin(t, eq(t.accountId, a.id))
    // Removed accounts leave every list; their page and logs still read them by id.
    .where(and(eq(a.orgId, orgId), ne(a.status, 'removed'), env ? eq(a.environment, env) : undefined))
    .orderBy(asc(a.houseName), asc(a.id));
  return rows.map((row) => ({ ...presentAccount(row.account), state: row.state }));
}

/** An account row as every account view shows it. */
export function presentAccount(r: typeof a.$inferSelect): Account {
  return {
    id: r.id,
    house_name: r.houseName,
    environment: r.environment,
    ebay_user_id: r.ebayUserId,
    ebay_username: r.ebayUsername,
    status: r.status,
    status_reason: r.statusReason,
    created_at: r.createdAt.toISOString(),
  };
}
