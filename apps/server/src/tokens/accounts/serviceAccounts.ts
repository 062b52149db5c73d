import type { AccountStatus, Environment, ServiceAccount } from '@ebay-connector/contracts';
import { and, asc, eq, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';

/**
 * The accounts a service sees (`GET /api/v1/ebay/accounts`): its key's org only. Removed and
 * deleted accounts are left out unless the `status` filter asks for them.
 */

export interface ServiceAccountRow extends ServiceAccount {
  statusReason: string | null;
  /** The stored access token, still encrypted (the access-token hot path decrypts it). */
  encryptedAccessToken: string | null;
  accessExpiresAt: Date | null;
}

export async function listServiceAccounts(
  db: Db,
  orgId: string,
  filter: { env?: Environment | undefined; status?: AccountStatus | undefined },
): Promise<ServiceAccount[]> {
  const rows = await db
    .select({ account: a, scopes: t.scopes, accessExpiresAt: t.accessExpiresAt })
    .from(a)
    .leftJoin(t, eq(t.accountId, a.id))
    .where(
      and(
        eq(a.orgId, orgId),
        filter.env ? eq(a.environment, filter.env) : undefined,
        filter.status ? eq(a.status, filter.status) : notInArray(a.status, ['removed', 'deleted']),
      ),
    )
    .orderBy(asc(a.houseName), asc(a.id));
  return rows.map((r) => presentServiceAccount(r).account);
}

/** One account of the key's org with its token facts; null for a missing id and another org's alike. */
export async function findServiceAccount(
  db: Db,
  orgId: string,
  accountId: string,
): Promise<ServiceAccountRow | null> {
  const [row] = await db
    .select({
      account: a,
      scopes: t.scopes,
      accessExpiresAt: t.accessExpiresAt,
      accessToken: t.accessToken,
    })
    .from(a)
    .leftJoin(t, eq(t.accountId, a.id))
    .where(and(eq(a.id, accountId), eq(a.orgId, orgId)))
    .limit(1);
  if (!row) return null;
  return serviceAccountFromColumns({
    ...row.account,
    scopes: row.scopes ?? [],
    accessExpiresAt: row.accessExpiresAt ?? null,
    accessToken: row.accessToken ?? null,
  });
}

/** The row of `findServiceAccount` from its columns (also read with the API key, auth/apiKeyRequest.ts). */
export function serviceAccountFromColumns(c: {
  id: string;
  houseName: string;
  environment: Environment;
  ebayUserId: string;
  ebayUsername: string | null;
  status: AccountStatus;
  statusReason: string | null;
  scopes: string[];
  accessExpiresAt: Date | null;
  accessToken: string | null;
}): ServiceAccountRow {
  return {
    ebay_account_id: c.id,
    house_name: c.houseName,
    environment: c.environment,
    ebay_user_id: c.ebayUserId,
    ebay_username: c.ebayUsername,
    status: c.status,
    scopes: c.scopes,
    access_token_expires_at: c.accessExpiresAt?.toISOString() ?? null,
    statusReason: c.statusReason,
    encryptedAccessToken: c.accessToken,
    accessExpiresAt: c.accessExpiresAt,
  };
}

function presentServiceAccount(r: {
  account: typeof a.$inferSelect;
  scopes: string[] | null;
  accessExpiresAt: Date | null;
}): { account: ServiceAccount; statusReason: string | null } {
  return {
    account: {
      ebay_account_id: r.account.id,
      house_name: r.account.houseName,
      environment: r.account.environment,
      ebay_user_id: r.account.ebayUserId,
      ebay_username: r.account.ebayUsername,
      status: r.account.status,
      scopes: r.scopes ?? [],
      access_token_expires_at: r.accessExpiresAt?.toISOString() ?? null,
    },
    statusReason: r.account.statusReason,
  };
}
