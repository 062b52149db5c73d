import type { ApiKeyScope } from '@ebay-connector/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyHitCounter } from '../../auth/apiKeyHits.ts';
import { type ApiKeyRequest, readApiKeyRequest } from '../../auth/apiKeyRequest.ts';
import { hashApiKey, isApiKeyFormat } from '../../auth/apiKeys.ts';
import type { Db } from '../../db/client.ts';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../errors.ts';

/**
 * Bearer auth of the service API (`/api/v1/*`, access `api_key`): `Authorization: Bearer ebc_…`.
 * The key is hashed and looked up on every request, so a revoke answers 401 at once on every
 * replica; the request is counted in the key's rate-limit window (shared by every replica, sent
 * with the lookup now and then: auth/apiKeyHits.ts; past `limit.max` a 429 with Retry-After) and,
 * for routes about one account, the same statement reads it (auth/apiKeyRequest.ts). Cookies are never read here (a session does not authenticate `/api/v1`), and the
 * session guard never reads this header (a key does not authenticate the admin API).
 * The key itself is never logged: the HTTP logger redacts `authorization` (http/logging.ts).
 */

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The presented key, or null when there is no `Authorization: Bearer` header. */
export function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = BEARER.exec(header);
  return match ? match[1]! : null;
}

/** Requests per key per window, counted in the database (`counter` keeps the hits between sends). */
export interface PerKeyLimit {
  max: number;
  windowMs: number;
  counter: ApiKeyHitCounter;
}

export async function authenticateApiKey(
  db: Db,
  request: FastifyRequest,
  scope: ApiKeyScope | undefined,
  limit: PerKeyLimit,
  accountId?: string,
): Promise<ApiKeyRequest> {
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    throw new UnauthorizedError(
      'this endpoint needs an API key: send Authorization: Bearer ebc_… (Admin → API keys)',
      'api_key_missing',
    );
  }
  const presented = bearerOf(request);
  if (!presented || !isApiKeyFormat(presented)) {
    throw new UnauthorizedError(
      'the Authorization header must be "Bearer ebc_…" with an API key (ebc_ and 43 characters)',
      'api_key_invalid',
    );
  }
  const keyHash = hashApiKey(presented);
  const hits = limit.counter.toSend(keyHash);
  const found = await readApiKeyRequest(db, {
    keyHash,
    scope: scope ?? null,
    hits,
    windowMs: limit.windowMs,
    accountId,
  });
  if (!found) throw new UnauthorizedError('this API key is not valid', 'api_key_invalid');
  const { key } = found;
  if (key.revokedAt) {
    throw new UnauthorizedError(
      `this API key was revoked at ${key.revokedAt.toISOString()}`,
      'api_key_revoked',
    );
  }
  if (scope && !key.scopes.includes(scope)) {
    throw new ForbiddenError(
      `this API key lacks the scope "${scope}" (it has: ${key.scopes.join(', ')})`,
      'api_key_scope_missing',
    );
  }
  // A live key with the scope: the hit counts (in the database if it was sent, else here).
  const count =
    found.hits !== null
      ? limit.counter.sent(keyHash, found.hits, found.ttlMs)
      : limit.counter.counted(keyHash);
  if (count) {
    found.hits = count.hits;
    found.ttlMs = count.ttlMs;
  }
  return found;
}

/**
 * The per-key limit on the hit `authenticateApiKey` counted: the headers @fastify/rate-limit set
 * (`x-ratelimit-limit`, `-remaining`, `-reset` in seconds), and past the limit a 429 with
 * `Retry-After`.
 */
export function enforcePerKeyLimit(reply: FastifyReply, found: ApiKeyRequest, limit: PerKeyLimit): void {
  if (found.hits === null) return;
  const seconds = Math.max(1, Math.ceil(found.ttlMs / 1000));
  reply.header('x-ratelimit-limit', limit.max);
  reply.header('x-ratelimit-remaining', Math.max(0, limit.max - found.hits));
  reply.header('x-ratelimit-reset', seconds);
  if (found.hits > limit.max) {
    throw new TooManyRequestsError(`too many requests; try again in ${seconds} seconds`, seconds);
  }
}
