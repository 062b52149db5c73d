import { randomInt } from 'node:crypto';
import { DEFAULT_SCOPES, type TokenCipher } from '@ebay-connector/server';
import { MAX_JITTER_SECONDS, toTextArray } from '@ebay-connector/server/queries';
import type { SimGrant } from './simProcess.ts';
import type { SqlClient } from './sqlClient.ts';

/**
 * Bulk seeding with SQL (unnest of arrays), thousands of rows per statement. The rows are what
 * `storeNewGrant` would write for a connected account; going through it one account at a time
 * would take minutes at these sizes.
 */

/** A ~2 KB access token shaped like eBay's; the worker never reads it, so one is shared. */
export const SHARED_ACCESS_TOKEN = `v^1.1#i^1#p^3#r^1#I^3#f^0#t^H4sIAAAAAAAA/+${'A'.repeat(1960)}`;

export async function seedOrgs(pool: SqlClient, names: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    'insert into orgs (name) select unnest($1::text[]) returning id',
    [names],
  );
  return rows.map((r) => r.id);
}

export interface RefreshableAccount {
  orgId: string;
  grant: SimGrant;
  /** Access token expiry; due accounts expire soon. */
  accessExpiresAt: Date;
}

/** Accounts with real refresh tokens (issued by the simulator), encrypted with `cipher`. */
export async function seedRefreshableAccounts(
  pool: SqlClient,
  cipher: TokenCipher,
  accounts: readonly RefreshableAccount[],
  opts: { now?: Date; environment?: 'production' | 'sandbox' } = {},
): Promise<string[]> {
  const now = opts.now ?? new Date();
  const refreshExpiresAt = new Date(now.getTime() + 47_304_000 * 1000).toISOString();
  const accessEnc = cipher.encrypt(SHARED_ACCESS_TOKEN);
  const ids: string[] = [];
  for (let i = 0; i < accounts.length; i += 5_000) {
    const chunk = accounts.slice(i, i + 5_000);
    const { rows } = await pool.query<{ id: string }>(
      `with input as (
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[])
           with ordinality as x(org_id, user_id, username, refresh_token, access_expires_at, jitter, n)
       ), accounts as (
         insert into ebay_accounts (org_id, environment, house_name, ebay_user_id, ebay_username, status, created_at, updated_at)
         select org_id, $7, 'House ' || username, user_id, username, 'active', $8, $8 from input order by n
         returning id, ebay_user_id
       ), tokens as (
         insert into ebay_tokens (account_id, access_token, access_expires_at, refresh_token, refresh_expires_at,
           scopes, jitter_seconds, updated_at)
         select a.id, $9, i.access_expires_at, i.refresh_token, $10, $11::text[], i.jitter, $8
         from accounts a join input i on i.user_id = a.ebay_user_id
       )
       select a.id from accounts a join input i on i.user_id = a.ebay_user_id order by i.n`,
      [
        chunk.map((a) => a.orgId),
        chunk.map((a) => a.grant.userId),
        chunk.map((a) => a.grant.username),
        chunk.map((a) => cipher.encrypt(a.grant.refreshToken)),
        chunk.map((a) => a.accessExpiresAt.toISOString()),
        chunk.map(() => randomInt(MAX_JITTER_SECONDS + 1)),
        opts.environment ?? 'production',
        now.toISOString(),
        accessEnc,
        refreshExpiresAt,
        toTextArray(DEFAULT_SCOPES),
      ],
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/**
 * Makes exactly the first `count` accounts (in id order) due: access token expiring in a
 * minute, never refreshed, no backoff, no lease. The rest expire in two hours.
 */
export async function resetDueAccounts(pool: SqlClient, count: number): Promise<void> {
  await pool.query(
    `with ranked as (select account_id, row_number() over (order by account_id) as n from ebay_tokens)
     update ebay_tokens t
     set access_expires_at = case when r.n <= $1 then now() + interval '60 seconds'
                                  else now() + interval '7200 seconds' end,
         last_refresh_at = null, next_attempt_at = null, lease_owner = null, lease_until = null,
         consecutive_failures = 0, last_error_code = null, last_error_message = null
     from ranked r where r.account_id = t.account_id`,
    [count],
  );
  await pool.query('vacuum analyze ebay_tokens');
}
