import { z } from 'zod';
import {
  accountStatusSchema,
  actionSchema,
  beforeIdParam,
  environmentSchema,
  httpRequestSchema,
  httpResponseSchema,
  idSchema,
  limitParam,
  logErrorSchema,
  sourceSchema,
} from './common.ts';

/** Derived state of an account's tokens, shown as a badge and counted on the status card. */
export const tokenStateSchema = z.enum([
  'healthy',
  'expiring_soon',
  'expired',
  'failing',
  'needs_reconnect',
  'disabled',
]);
export type TokenState = z.infer<typeof tokenStateSchema>;

// GET /api/admin/ebay/tokens/status
export const tokenStatusQuery = z.object({
  env: environmentSchema.optional(),
  ebay_account_id: idSchema.optional(),
  search: z.string().max(200).optional(),
  state: tokenStateSchema.optional(),
  limit: limitParam.default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export const accountTokenStatusSchema = z.object({
  ebay_account_id: z.string(),
  house_name: z.string(),
  environment: environmentSchema,
  ebay_user_id: z.string(),
  ebay_username: z.string().nullable(),
  status: accountStatusSchema,
  status_reason: z.string().nullable(),
  state: tokenStateSchema,
  access_token_expires_at: z.string().nullable(),
  refresh_token_expires_at: z.string().nullable(),
  last_refresh_at: z.string().nullable(),
  last_refresh_success: z.boolean().nullable(),
  last_error_code: z.string().nullable(),
  last_error_message: z.string().nullable(),
  consecutive_failures: z.number(),
  next_refresh_at: z.string().nullable(),
});
export const tokenStatusResponse = z.object({
  accounts: z.array(accountTokenStatusSchema),
  total: z.number(),
  counts: z.record(z.string(), z.number()),
  failing_by_code: z.record(z.string(), z.number()),
  /**
   * When the states in `counts`, `failing_by_code` and `total` were derived. Counts over 5,000
   * accounts or more are reused for up to 10 s (the rows are always current), so this can be a
   * few seconds behind the request.
   */
  counts_as_of: z.string(),
});
export type AccountTokenStatus = z.infer<typeof accountTokenStatusSchema>;
export type TokenStatusResponse = z.infer<typeof tokenStatusResponse>;

// GET /api/admin/ebay/accounts/:id/refresh-log
export const accountIdParams = z.object({ id: idSchema });
export const refreshLogQuery = z.object({ limit: limitParam.default(100) });
export const refreshLogRowSchema = z.object({
  id: z.number(),
  started_at: z.string(),
  finished_at: z.string(),
  success: z.boolean(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  triggered_by: z.string(),
  old_access_expires_at: z.string().nullable(),
  new_access_expires_at: z.string().nullable(),
  duration_ms: z.number(),
  connect_log_id: z.number().nullable(),
});
export const refreshLogResponse = z.object({ logs: z.array(refreshLogRowSchema) });
export type RefreshLogRow = z.infer<typeof refreshLogRowSchema>;

// POST /api/admin/ebay/token/refresh-debug
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

// POST /api/admin/ebay/accounts/:id/refresh
export const manualRefreshResponse = z.object({
  success: z.boolean(),
  error: z.string().nullable(),
  error_description: z.string().nullable(),
  access_token_expires_at: z.string().nullable(),
});

// Connect-log entries, shared by the JSON viewer and the unified terminal.
export const logEntrySchema = z.object({
  id: z.number(),
  created_at: z.string(),
  action: actionSchema,
  source: sourceSchema,
  environment: environmentSchema.nullable(),
  ebay_account_id: z.string().nullable(),
  house_name: z.string().nullable(),
  request: httpRequestSchema.nullable(),
  response: httpResponseSchema.nullable(),
  /** For `token_refresh_cycle` entries: the cycle summary (this org's part). */
  summary: z.record(z.string(), z.unknown()).nullable(),
  error: logErrorSchema.nullable(),
  duration_ms: z.number().nullable(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

// GET /api/admin/ebay/tokens/logs
export const tokenLogsQuery = z.object({
  env: environmentSchema.optional(),
  limit: limitParam,
  before_id: beforeIdParam.optional(),
  ebay_account_id: idSchema.optional(),
});
export const tokenLogsResponse = z.object({
  logs: z.array(logEntrySchema),
  next_before_id: z.number().nullable(),
});

// GET /api/admin/ebay/tokens/terminal-logs and /terminal-stream
const sourceList = z
  .string()
  .max(200)
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(sourceSchema));
export const terminalLogsQuery = z.object({
  env: environmentSchema.optional(),
  limit: limitParam,
  source: sourceList.optional(),
  ebay_account_id: idSchema.optional(),
  before_id: beforeIdParam.optional(),
  errors_only: z.enum(['true', 'false']).optional(),
  /** The unified terminal defaults to token actions; the Accounts page asks for connect actions. */
  kind: z.enum(['token', 'connect', 'all']).default('token'),
});
export type TerminalLogsQuery = z.input<typeof terminalLogsQuery>;
export const terminalLogsResponse = z.object({
  entries: z.array(logEntrySchema),
  next_before_id: z.number().nullable(),
});
export type TerminalLogsResponse = z.infer<typeof terminalLogsResponse>;
/** `after_id`: deliver entries written after this id first (the UI passes the newest id of its first page). */
export const terminalStreamQuery = terminalLogsQuery.omit({ limit: true, before_id: true }).extend({
  after_id: z.coerce
    .number({ message: 'after_id must be a number' })
    .int('after_id must be an integer')
    .min(0, 'after_id must be at least 0')
    .max(Number.MAX_SAFE_INTEGER)
    .optional(),
});

// GET /api/admin/ebay/accounts/:id/token-info
export const tokenInfoResponse = z.object({
  ebay_account_id: z.string(),
  environment: environmentSchema,
  access_token: z.object({
    present: z.boolean(),
    masked: z.string().nullable(),
    expires_at: z.string().nullable(),
    key_id: z.string().nullable(),
    decrypt: z.string(),
  }),
  refresh_token: z.object({
    masked: z.string(),
    expires_at: z.string().nullable(),
    key_id: z.string().nullable(),
    decrypt: z.string(),
  }),
  scopes: z.array(z.string()),
  version: z.number(),
});

// Accounts and connect flow
export const accountSchema = z.object({
  id: z.string(),
  house_name: z.string(),
  environment: environmentSchema,
  ebay_user_id: z.string(),
  ebay_username: z.string().nullable(),
  status: accountStatusSchema,
  status_reason: z.string().nullable(),
  created_at: z.string(),
});
export const accountsQuery = z.object({ env: environmentSchema.optional() });
export const accountsResponse = z.object({ accounts: z.array(accountSchema) });
export type Account = z.infer<typeof accountSchema>;
export const connectStartBody = z.object({
  environment: environmentSchema,
  house_name: z
    .string()
    .trim()
    .min(1, 'house_name is required')
    .max(100, 'house_name is at most 100 characters'),
});
export const connectStartResponse = z.object({ authorize_url: z.string() });
export const oauthCallbackQuery = z.object({
  code: z.string().max(8192).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  expires_in: z.string().max(20).optional(),
});
