import { z } from 'zod';
import { accountFields } from './accounts.ts';
import {
  environmentSchema,
  errorCodeSchema,
  httpRequestSchema,
  httpResponseSchema,
  idSchema,
  limitParam,
  tokenStateSchema,
} from './common.ts';
import { defineEndpoint } from './endpoint.ts';
import { refreshPolicyValueSchema } from './workers.ts';

export const tokenStatusQuery = z.object({
  env: environmentSchema.optional(),
  ebay_account_id: idSchema.optional(),
  search: z.string().max(200).optional(),
  state: tokenStateSchema.optional(),
  /** Accounts whose last refresh failed with this code (the card's "decrypt_failed ×3"). */
  error_code: errorCodeSchema.optional(),
  limit: limitParam.default(100),
  offset: z.coerce.number<number>().int().min(0).max(10_000_000).default(0),
});
export const accountTokenStatusSchema = z.object({
  ebay_account_id: z.string(),
  ...accountFields,
  state: tokenStateSchema,
  access_token_expires_at: z.string().nullable(),
  refresh_token_expires_at: z.string().nullable(),
  last_refresh_at: z.string().nullable(),
  last_refresh_success: z.boolean().nullable(),
  last_error_code: z.string().nullable(),
  last_error_message: z.string().nullable(),
  consecutive_failures: z.number(),
  next_refresh_at: z.string().nullable(),
  /** When a service (an API key, `/api/v1`) last asked for this account's token, and which key. */
  last_used_at: z.string().nullable(),
  last_used_key_name: z.string().nullable(),
  /**
   * The refresh plan (issue 12): the account's own policy (null: TOKEN_REFRESH_POLICY), the one in
   * force, and whether the plan keeps it warm now. Defaulted for answers that predate them.
   */
  refresh_policy: refreshPolicyValueSchema.nullable().default(null),
  effective_policy: refreshPolicyValueSchema.default('auto'),
  refresh_warm: z.boolean().default(true),
});
export const tokenStatusResponse = z.object({
  accounts: z.array(accountTokenStatusSchema),
  total: z.number(),
  counts: z.record(z.string(), z.number()),
  /** The last error codes of the accounts counted `failing` (they add up to that count). */
  failing_by_code: z.record(z.string(), z.number()),
  /** The same for the accounts counted `needs_reconnect` whose last refresh failed. */
  needs_reconnect_by_code: z.record(z.string(), z.number()),
  /**
   * When the states in `counts`, `failing_by_code` and `total` were derived. Counts over 5,000
   * accounts or more are reused for up to 10 s (the rows are always current), so this can be a
   * few seconds behind the request.
   */
  counts_as_of: z.string(),
});
export type AccountTokenStatus = z.infer<typeof accountTokenStatusSchema>;
export type TokenStatusResponse = z.infer<typeof tokenStatusResponse>;

export const refreshDebugBody = z.object({ ebay_account_id: idSchema });
export const refreshDebugResponse = z.object({
  environment: environmentSchema,
  success: z.boolean(),
  error: z.string().nullable(),
  error_description: z.string().nullable(),
  diagnosis: z.string().nullable(),
  request: httpRequestSchema.nullable(),
  response: httpResponseSchema.nullable(),
  duration_ms: z.number().nullable(),
  access_token_expires_at: z.string().nullable(),
});
export type RefreshDebugResult = z.infer<typeof refreshDebugResponse>;

export const tokensEndpoints = {
  tokenStatus: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/tokens/status',
    access: 'signed_in',
    tag: 'tokens',
    summary: 'Per-account token status, paged, with counts by state',
    query: tokenStatusQuery,
    response: tokenStatusResponse,
  }),
  refreshDebug: defineEndpoint({
    method: 'POST',
    path: '/api/admin/ebay/token/refresh-debug',
    access: 'admin',
    tag: 'tokens',
    summary: 'One refresh with source `debug`, answered with the whole masked HTTP exchange',
    body: refreshDebugBody,
    response: refreshDebugResponse,
  }),
};
