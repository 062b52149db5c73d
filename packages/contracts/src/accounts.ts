import { z } from 'zod';
import { accountStatusSchema, environmentSchema, idSchema, limitParam, tokenStateSchema } from './common.ts';
import { defineEndpoint } from './endpoint.ts';

/** What every view of an eBay account shows about it (the account list, the token status rows). */
export const accountFields = {
  house_name: z.string(),
  environment: environmentSchema,
  ebay_user_id: z.string(),
  ebay_username: z.string().nullable(),
  status: accountStatusSchema,
  status_reason: z.string().nullable(),
};
export const accountSchema = z.object({ id: z.string(), ...accountFields, created_at: z.string() });
export const accountsQuery = z.object({ env: environmentSchema.optional() });
/** A row of the account list: with its token state, derived as the Workers page derives it. */
export const accountListItemSchema = accountSchema.extend({ state: tokenStateSchema });
export const accountsResponse = z.object({ accounts: z.array(accountListItemSchema) });
export type Account = z.infer<typeof accountSchema>;
export type AccountListItem = z.infer<typeof accountListItemSchema>;

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

export const manualRefreshResponse = z.object({
  success: z.boolean(),
  error: z.string().nullable(),
  error_description: z.string().nullable(),
  access_token_expires_at: z.string().nullable(),
});

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

export const accountsEndpoints = {
  listAccounts: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/accounts',
    access: 'signed_in',
    tag: 'accounts',
    summary: "The org's eBay accounts",
    query: accountsQuery,
    response: accountsResponse,
  }),
  refreshLog: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/accounts/:id/refresh-log',
    access: 'signed_in',
    tag: 'accounts',
    summary: "The account's refresh attempts, newest first",
    params: accountIdParams,
    query: refreshLogQuery,
    response: refreshLogResponse,
  }),
  // A POST: each view writes an audit entry, so a link or an image on another site (a GET)
  // must not be able to make one; the CSRF rule applies like to any other POST.
  tokenInfo: defineEndpoint({
    method: 'POST',
    path: '/api/admin/ebay/accounts/:id/token-info',
    access: 'signed_in',
    tag: 'accounts',
    summary: 'Masked facts about the stored tokens; each view is logged (`token_info_viewed`), hence a POST',
    params: accountIdParams,
    response: tokenInfoResponse,
  }),
  manualRefresh: defineEndpoint({
    method: 'POST',
    path: '/api/admin/ebay/accounts/:id/refresh',
    access: 'admin',
    tag: 'accounts',
    summary: 'A plain refresh now, source `manual`',
    params: accountIdParams,
    response: manualRefreshResponse,
  }),
};
