import type { ApiKeyScope } from '@ebay-connector/contracts';
import type { FastifyRequest } from 'fastify';
import { findApiKey, isApiKeyFormat, type StoredApiKey } from '../../auth/apiKeys.ts';
import type { Db } from '../../db/client.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';

/**
 * Bearer auth of the service API (`/api/v1/*`, access `api_key`): `Authorization: Bearer ebc_…`.
 * The key is hashed and looked up on every request, so a revoke answers 401 at once on every
 * replica. Cookies are never read here (a session does not authenticate `/api/v1`), and the
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

export async function authenticateApiKey(
  db: Db,
  request: FastifyRequest,
  scope: ApiKeyScope | undefined,
): Promise<StoredApiKey> {
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
  const key = await findApiKey(db, presented);
  if (!key) throw new UnauthorizedError('this API key is not valid', 'api_key_invalid');
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
  return key;
}
