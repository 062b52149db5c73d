import type { ApiKeyScope } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRowsPrepared } from '../db/client.ts';
import { dbDate, dbDateOrNull, dbInt, dbTextArray } from '../db/rows.ts';
import { type ServiceAccountRow, serviceAccountFromColumns } from '../tokens/accounts/serviceAccounts.ts';
import type { StoredApiKey } from './apiKeys.ts';

/**
 * Everything a `/api/v1` request needs from the database before its handler, in one round trip
 * (docs/PERFORMANCE.md, benchmark 8): the presented key by its hash (every request, so a revoke
 * answers 401 at once on every replica), the hits the process sends to the key's rate-limit window
 * in `rate_limits` (shared by every replica; usually none: auth/apiKeyHits.ts counts most hits in
 * the process; counted only for a key that is live and has the route's scope, as when the plugin
 * counted it after the auth hook), and, for routes about one account, that
 * account of the key's org with its token (the access-token and proxy hot paths).
 * The counter's key is `sha256("api-key:" + id)` in base64url, as `rateLimitStore.countHit`
 * hashes it, and its window is measured against the database's clock.
 */

export interface ApiKeyRequest {
  key: StoredApiKey;
  /** Hits of the key in its current window after this statement's; null when it sent none or the key was refused. */
  hits: number | null;
  /** Milliseconds left in the key's window. */
  ttlMs: number;
  /** The account asked for (null: none of the key's org has that id); undefined: not asked. */
  account?: ServiceAccountRow | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const requestRow = z.object({
  id: z.string(),
  org_id: z.string(),
  name: z.string(),
  scopes: z.array(z.enum(['tokens', 'proxy'])),
  key_prefix: z.string(),
  created_at: dbDate,
  last_used_at: dbDateOrNull,
  revoked_at: dbDateOrNull,
  hits: dbInt.nullable(),
  ttl_ms: dbInt.nullable(),
  account_id: z.string().nullable(),
  house_name: z.string().nullable(),
  environment: z.enum(['sandbox', 'production']).nullable(),
  ebay_user_id: z.string().nullable(),
  ebay_username: z.string().nullable(),
  status: z.enum(['active', 'needs_reconnect', 'disabled', 'removed', 'deleted']).nullable(),
  status_reason: z.string().nullable(),
  token_scopes: dbTextArray,
  access_expires_at: dbDateOrNull,
  access_token: z.string().nullable(),
});

/**
 * The key presented (revoked or not: the caller tells them apart), its counted hit and the
 * account; null when no key has that hash. `accountId` that is not a uuid reads no account (the
 * route's params validation refuses it next).
 */
export async function readApiKeyRequest(
  db: Db,
  input: {
    keyHash: string;
    scope: ApiKeyScope | null;
    /** Hits to add to the key's window (0: none, the statement only reads). */
    hits: number;
    windowMs: number;
    accountId?: string | undefined;
  },
): Promise<ApiKeyRequest | null> {
  const wantsAccount = input.accountId !== undefined;
  const accountId = wantsAccount && UUID.test(input.accountId!) ? input.accountId! : null;
  // Two variants of one statement (each prepared once): with the hits to send, and, most of the
  // time, a read only (no DML in it: cheaper for PostgreSQL to run).
  const hit =
    input.hits > 0
      ? sql`, hit as (
          insert into rate_limits as r (key, hits, reset_at)
          select translate(rtrim(encode(sha256(convert_to('api-key:' || k.id::text, 'UTF8')), 'base64'), '='), '+/', '-_'),
                 ${input.hits}::int, now() + make_interval(secs => ${input.windowMs / 1000}::float8)
          from k where k.live
          on conflict (key) do update set
            hits = case when r.reset_at <= now() then excluded.hits else r.hits + excluded.hits end,
            reset_at = case when r.reset_at <= now() then excluded.reset_at else r.reset_at end
          returning r.hits, ceil(extract(epoch from (r.reset_at - now())) * 1000)::int as ttl_ms
        )`
      : sql``;
  const hitColumns = input.hits > 0 ? sql`hit.hits, hit.ttl_ms` : sql`null::int as hits, null::int as ttl_ms`;
  const hitJoin = input.hits > 0 ? sql`left join hit on true` : sql``;
  const [row] = await queryRowsPrepared(
    db,
    'api_key_request',
    sql`with k as (
          select id, org_id, name, scopes::text[] as scopes, key_prefix, created_at, last_used_at, revoked_at,
                 revoked_at is null and (${input.scope}::text is null or ${input.scope}::text = any(scopes::text[])) as live
          from api_keys where key_hash = ${input.keyHash} limit 1
        )${hit}
        select k.id, k.org_id, k.name, k.scopes, k.key_prefix, k.created_at, k.last_used_at, k.revoked_at,
               ${hitColumns},
               a.id as account_id, a.house_name, a.environment, a.ebay_user_id, a.ebay_username,
               a.status, a.status_reason,
               t.scopes as token_scopes, t.access_expires_at, t.access_token
        from k
        ${hitJoin}
        left join ebay_accounts a on k.live and a.id = ${accountId}::uuid and a.org_id = k.org_id
        left join ebay_tokens t on t.account_id = a.id`,
    requestRow,
  );
  if (!row) return null;
  const key: StoredApiKey = {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    scopes: row.scopes,
    keyPrefix: row.key_prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
  const result: ApiKeyRequest = { key, hits: row.hits, ttlMs: Math.max(0, row.ttl_ms ?? 0) };
  if (!wantsAccount) return result;
  result.account =
    row.account_id && row.house_name !== null && row.environment && row.ebay_user_id !== null && row.status
      ? serviceAccountFromColumns({
          id: row.account_id,
          houseName: row.house_name,
          environment: row.environment,
          ebayUserId: row.ebay_user_id,
          ebayUsername: row.ebay_username,
          status: row.status,
          statusReason: row.status_reason,
          scopes: row.token_scopes,
          accessExpiresAt: row.access_expires_at,
          accessToken: row.access_token,
        })
      : null;
  return result;
}
