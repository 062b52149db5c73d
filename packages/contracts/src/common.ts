import { z } from 'zod';

export const environmentSchema = z.enum(['sandbox', 'production']);
export type Environment = z.infer<typeof environmentSchema>;

/** `app`: the application access token (client-credentials grant); `notification`: eBay's notifications. */
export const sourceSchema = z.enum([
  'scheduled',
  'debug',
  'manual',
  'connect',
  'on_demand',
  'app',
  'notification',
]);
export type Source = z.infer<typeof sourceSchema>;

export const actionSchema = z.enum([
  'connect_started',
  'token_exchanged',
  'connect_completed',
  'connect_failed',
  'token_refreshed',
  'token_refresh_failed',
  'token_refresh_debug',
  'token_info_viewed',
  'token_call_blocked_missing_scopes',
  'token_refresh_cycle',
  'token_repaired',
  // Account management (Accounts page, account page): who disabled, enabled or removed it.
  'account_disabled',
  'account_enabled',
  'account_removed',
  // The application access token (client-credentials grant, `source=app`).
  'app_token_issued',
  'app_token_failed',
  // eBay's Marketplace Account Deletion notification erased the account (`source=notification`).
  'account_deleted',
]);
export type Action = z.infer<typeof actionSchema>;

export const errorCodeSchema = z.enum([
  'decrypt_failed',
  'missing_scopes',
  'invalid_grant',
  'invalid_client',
  'invalid_scope',
  'invalid_request',
  'rate_limited',
  'ebay_unavailable',
  'network_error',
  'timeout',
  'refresh_token_expired',
  'lease_lost',
]);
export type RefreshErrorCode = z.infer<typeof errorCodeSchema>;

export const decryptDiagnosisSchema = z.enum([
  'unknown_key_id',
  'auth_failed',
  'malformed',
  'double_encrypted',
  'not_an_ebay_token',
  'plaintext_legacy',
]);

/**
 * `removed`: an admin removed the account; `deleted`: eBay asked for it (Marketplace Account
 * Deletion). Either way its tokens and eBay data are erased and its history is kept.
 */
export const accountStatusSchema = z.enum(['active', 'needs_reconnect', 'disabled', 'removed', 'deleted']);
export type AccountStatus = z.infer<typeof accountStatusSchema>;

/**
 * Derived state of an account's tokens (server: tokens/sql/tokenState.ts), the one state every
 * view shows: the Workers table and its counts, the Accounts list, the account page, the CLI.
 */
export const tokenStateSchema = z.enum([
  'healthy',
  'expiring_soon',
  'expired',
  'on_demand',
  'failing',
  'needs_reconnect',
  'disabled',
]);
export type TokenState = z.infer<typeof tokenStateSchema>;
export const roleSchema = z.enum(['admin', 'viewer']);
export type Role = z.infer<typeof roleSchema>;

/**
 * Ids are UUIDs; anything else is a 400, never a database error. PostgreSQL compares UUIDs
 * case-insensitively, so an id is lower-cased here, at the edge: every lookup and every limit key
 * (the per-account refresh limits) sees one spelling per account.
 */
export function uuidParam(what: string) {
  return z.uuid({ message: `must be ${what} (UUID)` }).toLowerCase();
}
export const idSchema = uuidParam('an account id');

/** Error body of every 4xx/5xx: `{"error": {"code", "message"}}`. */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const httpRequestSchema = z.object({
  method: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
export const httpResponseSchema = z.object({
  status_code: z.number().int(),
  reason: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
export type HttpRequestView = z.infer<typeof httpRequestSchema>;
export type HttpResponseView = z.infer<typeof httpResponseSchema>;

/** `error` of a log entry: a classified code and a human message (plus the decrypt diagnosis). */
export const logErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  diagnosis: z.string().optional(),
});

/** Query-string numbers arrive as text; a caller passes numbers (the input type says so). */
export const limitParam = z.coerce
  .number<number>({ message: 'limit must be a number' })
  .int('limit must be an integer')
  .min(1, 'limit must be between 1 and 1000')
  .max(1000, 'limit must be between 1 and 1000')
  .default(200);
export const beforeIdParam = z.coerce
  .number<number>({ message: 'before_id must be a number' })
  .int('before_id must be an integer')
  .min(1)
  .max(Number.MAX_SAFE_INTEGER);
