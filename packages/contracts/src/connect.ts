import { z } from 'zod';
import { environmentSchema, idSchema } from './common.ts';
import { defineEndpoint } from './endpoint.ts';
import { hasControlCharacters } from './printable.ts';

/** The longest house name; the form says so instead of cutting a pasted name. */
export const HOUSE_NAME_MAX_LENGTH = 100;

/**
 * A new connection names its environment and house name. A reconnect names the account instead
 * (`ebay_account_id`): its environment and house name are the account's, and the callback of that
 * flow only ever writes that account (a grant for another eBay user stores nothing).
 */
export const connectStartBody = z
  .object({
    environment: environmentSchema.optional(),
    house_name: z
      .string()
      .trim()
      .min(1, 'house_name is required')
      .max(HOUSE_NAME_MAX_LENGTH, `house_name is at most ${HOUSE_NAME_MAX_LENGTH} characters`)
      .refine((name) => !hasControlCharacters(name), 'house_name must not contain control characters')
      .optional(),
    ebay_account_id: idSchema.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.ebay_account_id) return;
    if (!body.environment)
      ctx.addIssue({ code: 'custom', path: ['environment'], message: 'environment is required' });
    if (body.house_name === undefined)
      ctx.addIssue({ code: 'custom', path: ['house_name'], message: 'house_name is required' });
  });
export const connectStartResponse = z.object({ authorize_url: z.string() });
export const oauthCallbackQuery = z.object({
  code: z.string().max(8192).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  expires_in: z.string().max(20).optional(),
});

export const connectEndpoints = {
  connectStart: defineEndpoint({
    method: 'POST',
    path: '/api/admin/ebay/connect/start',
    access: 'admin',
    tag: 'connect',
    summary: "eBay's consent URL, with a single-use state bound to this session",
    body: connectStartBody,
    response: connectStartResponse,
  }),
  oauthCallback: defineEndpoint({
    method: 'GET',
    path: '/api/ebay/oauth/callback',
    access: 'session_optional',
    tag: 'connect',
    summary: 'The OAuth callback (the RuName accept and decline URL)',
    query: oauthCallbackQuery,
    rawAnswer: {
      status: 303,
      mediaType: 'text/plain',
      description:
        'Every outcome, a malformed query too: a redirect to `/accounts?connected=<id>` (`&reconnected=1` for a reconnect) or `/accounts?connect_error=<code>`, no free text (`wrong_seller` adds `account`, `signed_in_as` and, when that seller is connected already, `existing`)',
    },
  }),
};
