import { z } from 'zod';
import { accountIdParams, accountSchema } from './accounts.ts';
import { defineEndpoint } from './endpoint.ts';
import { accountTokenStatusSchema } from './tokens.ts';
import { refreshPolicyValueSchema } from './workers.ts';

/**
 * The account page (`/accounts/:id`) and managing an account: disable, enable, remove. A
 * removed account keeps its row (status `removed`) so its logs still name it; its tokens are
 * erased and it leaves every list.
 */

/**
 * How the worker refreshes this account: the worker's interval and threshold, plus the account's
 * jitter, and its refresh policy in the refresh plan (issue 12): its own `policy` (null: the
 * deployment default), the one in force, and whether the plan keeps it warm now.
 */
export const refreshPolicySchema = z.object({
  kind: z.literal('default'),
  interval_seconds: z.number(),
  threshold_seconds: z.number(),
  jitter_seconds: z.number().nullable(),
  policy: refreshPolicyValueSchema.nullable(),
  effective_policy: refreshPolicyValueSchema,
  warm: z.boolean(),
});

export const accountDetailResponse = z.object({
  account: accountSchema.extend({ updated_at: z.string() }),
  /** Null when the account has no tokens (removed). */
  token_status: accountTokenStatusSchema.nullable(),
  granted_scopes: z.array(z.string()),
  /** Scopes this deployment asks for (EBAY_SCOPES) that the account did not grant. */
  missing_scopes: z.array(z.string()),
  refresh_policy: refreshPolicySchema,
  /** When a service last used the account's access token (null: never, or not recorded). */
  last_used_at: z.string().nullable(),
});
export type AccountDetail = z.infer<typeof accountDetailResponse>;

export const accountChangeResponse = z.object({ account: accountSchema });

export const setRefreshPolicyBody = z.object({
  /** `warm`, `on_demand`, `auto`, or null to follow TOKEN_REFRESH_POLICY. */
  refresh_policy: refreshPolicyValueSchema.nullable(),
});
export const setRefreshPolicyResponse = z.object({
  account: accountSchema,
  /** The account's own policy (null: the deployment default). */
  refresh_policy: refreshPolicyValueSchema.nullable(),
  /** The policy in force: its own, or TOKEN_REFRESH_POLICY. */
  effective_policy: refreshPolicyValueSchema,
  /** In the refresh plan's warm set now (an `auto` account is placed by the next cycle). */
  warm: z.boolean(),
});
export type SetRefreshPolicyResult = z.infer<typeof setRefreshPolicyResponse>;

export const accountManagementEndpoints = {
  accountDetail: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/accounts/:id',
    access: 'signed_in',
    tag: 'accounts',
    summary: 'One account: its token state, scopes, refresh policy and last use (removed accounts too)',
    params: accountIdParams,
    response: accountDetailResponse,
  }),
  disableAccount: defineEndpoint({
    method: 'POST',
    path: '/api/admin/ebay/accounts/:id/disable',
    access: 'admin',
    tag: 'accounts',
    summary: 'Stop refreshing the account (its tokens are kept); logged as `account_disabled`',
    params: accountIdParams,
    response: accountChangeResponse,
  }),
  enableAccount: defineEndpoint({
    method: 'POST',
    path: '/api/admin/ebay/accounts/:id/enable',
    access: 'admin',
    tag: 'accounts',
    summary: 'Refresh a disabled account again, from the next cycle; logged as `account_enabled`',
    params: accountIdParams,
    response: accountChangeResponse,
  }),
  setRefreshPolicy: defineEndpoint({
    method: 'PATCH',
    path: '/api/admin/ebay/accounts/:id',
    access: 'admin',
    tag: 'accounts',
    summary: 'Set the account’s refresh policy: `warm`, `on_demand` or `auto` (null: the deployment default)',
    params: accountIdParams,
    body: setRefreshPolicyBody,
    response: setRefreshPolicyResponse,
  }),
  removeAccount: defineEndpoint({
    method: 'POST',
    path: '/api/admin/ebay/accounts/:id/remove',
    access: 'admin',
    tag: 'accounts',
    summary: 'Erase the account’s tokens and take it off every list; its history stays (`account_removed`)',
    params: accountIdParams,
    response: accountChangeResponse,
  }),
};
