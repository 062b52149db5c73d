import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, ApiKeyScope } from '@ebay-connector/contracts';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { apiKeys, orgs } from '../db/schema.ts';

/**
 * API keys of services (issue 11). A key is `ebc_` + 32 random bytes (base64url, 43 characters);
 * it is returned once, by `createApiKey`, and stored only as its sha256 (hex). Lookups hash the
 * presented key and read the row on every request, so a revoke holds at once on every replica.
 */

export const API_KEY_PREFIX = 'ebc_';
/** `ebc_` + base64url of 32 bytes: anything else is not a key and is refused before any lookup. */
const API_KEY_FORMAT = /^ebc_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function isApiKeyFormat(value: string): boolean {
  return API_KEY_FORMAT.test(value);
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface StoredApiKey {
  id: string;
  orgId: string;
  name: string;
  scopes: ApiKeyScope[];
  keyPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const columns = {
  id: apiKeys.id,
  orgId: apiKeys.orgId,
  name: apiKeys.name,
  scopes: apiKeys.scopes,
  keyPrefix: apiKeys.keyPrefix,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export function presentApiKey(k: StoredApiKey): ApiKey {
  return {
    id: k.id,
    name: k.name,
    scopes: k.scopes,
    created_at: k.createdAt.toISOString(),
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiKey(
  db: Db,
  input: { orgId: string; name: string; scopes: readonly ApiKeyScope[]; createdBy: string | null },
): Promise<StoredApiKey & { key: string }> {
  const key = generateApiKey();
  // Keep the stored order stable whatever order the caller named the scopes in.
  const scopes = (['tokens', 'proxy'] as const).filter((s) => input.scopes.includes(s));
  const [row] = await db
    .insert(apiKeys)
    .values({
      orgId: input.orgId,
      name: input.name,
      scopes,
      keyHash: hashApiKey(key),
      keyPrefix: key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + 8),
      createdBy: input.createdBy,
    })
    .returning(columns);
  return { ...row!, key };
}

/** The org's keys, oldest first; `orgId` omitted → every org's (the CLI). */
export async function listApiKeys(db: Db, orgId?: string): Promise<(StoredApiKey & { orgName: string })[]> {
  return db
    .select({ ...columns, orgName: orgs.name })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(orgId ? eq(apiKeys.orgId, orgId) : undefined)
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}

/**
 * Revokes the key (within the org when `orgId` is given). A key revoked before keeps its first
 * `revoked_at`. Null when there is no such key (or it is another org's).
 */
export async function revokeApiKey(
  db: Db,
  keyId: string,
  now: Date,
  orgId?: string,
): Promise<StoredApiKey | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(apiKeys.id, keyId), orgId ? eq(apiKeys.orgId, orgId) : undefined))
    .returning(columns);
  return row ?? null;
}

/** The key a caller presented, if it exists (revoked or not: the caller tells the two apart). */
export async function findApiKey(db: Db, key: string): Promise<StoredApiKey | null> {
  const [row] = await db
    .select(columns)
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hashApiKey(key)))
    .limit(1);
  return row ?? null;
}
