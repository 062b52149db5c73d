import { z } from 'zod';
import { accountStatusSchema, environmentSchema, idSchema } from './common.ts';
import { defineEndpoint } from './endpoint.ts';
import { hasControlCharacters } from './printable.ts';

/**
 * Issue 11: API keys (Admin → API keys) and the service API they authenticate (`/api/v1`).
 * A key is `ebc_` + 32 random bytes (base64url), shown once at creation; only its sha256 is
 * stored. It authenticates `/api/v1/*` only (`Authorization: Bearer ebc_…`), never the admin API.
 */

export const apiKeyScopeSchema = z.enum(['tokens', 'proxy']);
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>;

export const apiKeyIdParams = z.object({ id: z.uuid({ message: 'must be an API key id (UUID)' }) });

export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(100, 'name must be at most 100 characters')
  .refine((name) => !hasControlCharacters(name), 'name must not contain control characters');

export const apiKeyScopesSchema = z
  .array(apiKeyScopeSchema)
  .min(1, 'scopes must name at least one of tokens, proxy')
  .max(2)
  .refine((s) => new Set(s).size === s.length, 'scopes must not repeat')
  .meta({ description: 'At least one of `tokens`, `proxy`' });

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(apiKeyScopeSchema),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const apiKeysResponse = z.object({ keys: z.array(apiKeySchema) });
export const createApiKeyBody = z.object({ name: apiKeyNameSchema, scopes: apiKeyScopesSchema });
/** The only answer that holds `key`; it cannot be shown again. */
export const createdApiKeyResponse = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(apiKeyScopeSchema),
  created_at: z.string(),
  key: z.string(),
});

export const serviceAccountSchema = z.object({
  ebay_account_id: z.string(),
  house_name: z.string(),
  environment: environmentSchema,
  ebay_user_id: z.string(),
  ebay_username: z.string().nullable(),
  status: accountStatusSchema,
  /** The OAuth scopes the seller granted. */
  scopes: z.array(z.string()),
  access_token_expires_at: z.string().nullable(),
});
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

export const serviceAccountsQuery = z.object({
  env: environmentSchema.optional(),
  status: accountStatusSchema.optional(),
});
export const serviceAccountsResponse = z.object({ accounts: z.array(serviceAccountSchema) });

export const MIN_VALID_SECONDS_DEFAULT = 300;
export const MIN_VALID_SECONDS_MAX = 3600;

export const serviceAccountParams = z.object({ id: idSchema });
export const accessTokenBody = z
  .object({
    min_valid_seconds: z
      .number({ message: 'min_valid_seconds must be a number' })
      .int('min_valid_seconds must be an integer')
      .min(0, `min_valid_seconds must be between 0 and ${MIN_VALID_SECONDS_MAX}`)
      .max(MIN_VALID_SECONDS_MAX, `min_valid_seconds must be between 0 and ${MIN_VALID_SECONDS_MAX}`)
      .optional(),
  })
  // No body at all (Fastify reads it as null) is the same as `{}`.
  .nullish();
export const accessTokenResponse = z.object({
  access_token: z.string(),
  expires_at: z.string(),
  token_type: z.literal('User Access Token'),
  scopes: z.array(z.string()),
});

/**
 * The eBay API proxy (scope `proxy`): any method, `/api/v1/ebay/proxy/:id/<eBay API path>?<query>`
 * is sent to eBay's API host of the account's environment with the account's access token, and
 * eBay's answer streams back. Not a contract endpoint (it has no fixed method or schema).
 */
export const EBAY_PROXY_PREFIX = '/api/v1/ebay/proxy/';
export const EBAY_PROXY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Issue 13: the application access token (client-credentials grant), for eBay's public APIs. */
export const appTokenBody = z
  .object({ environment: environmentSchema.optional() })
  // No body at all (Fastify reads it as null) is the same as `{}`.
  .nullish();
export const appTokenResponse = z.object({
  access_token: z.string(),
  expires_at: z.string(),
  token_type: z.literal('Application Access Token'),
  scopes: z.array(z.string()),
});

export const apiKeysEndpoints = {
  listApiKeys: defineEndpoint({
    method: 'GET',
    path: '/api/admin/api-keys',
    access: 'signed_in',
    tag: 'api_keys',
    summary: "The org's API keys (never the keys themselves)",
    response: apiKeysResponse,
  }),
  createApiKey: defineEndpoint({
    method: 'POST',
    path: '/api/admin/api-keys',
    access: 'admin',
    tag: 'api_keys',
    summary: 'Creates an API key; the answer holds the key, shown this once',
    body: createApiKeyBody,
    response: createdApiKeyResponse,
  }),
  revokeApiKey: defineEndpoint({
    method: 'DELETE',
    path: '/api/admin/api-keys/:id',
    access: 'admin',
    tag: 'api_keys',
    summary: 'Revokes an API key: it answers 401 at once, on every replica',
    params: apiKeyIdParams,
    rawAnswer: { status: 204, mediaType: 'application/json', description: 'Revoked (no body)' },
  }),
  serviceAccounts: defineEndpoint({
    method: 'GET',
    path: '/api/v1/ebay/accounts',
    access: 'api_key',
    apiKeyScope: 'tokens',
    tag: 'service',
    summary: "The key's org's eBay accounts",
    query: serviceAccountsQuery,
    response: serviceAccountsResponse,
  }),
  serviceAccessToken: defineEndpoint({
    method: 'POST',
    path: '/api/v1/ebay/accounts/:id/access-token',
    access: 'api_key',
    apiKeyScope: 'tokens',
    tag: 'service',
    summary: 'A valid user access token of the account, refreshed on demand (never the refresh token)',
    params: serviceAccountParams,
    body: accessTokenBody,
    response: accessTokenResponse,
  }),
  serviceAppToken: defineEndpoint({
    method: 'POST',
    path: '/api/v1/ebay/app-token',
    access: 'api_key',
    apiKeyScope: 'tokens',
    tag: 'service',
    summary:
      'The application access token of an environment (client-credentials grant), reused until it nears expiry',
    body: appTokenBody,
    response: appTokenResponse,
  }),
};
