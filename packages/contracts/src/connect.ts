import { z } from 'zod';
import { environmentSchema } from './common.ts';
import { defineEndpoint } from './endpoint.ts';

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
        'Every outcome: a redirect to `/accounts?connected=<id>` or `/accounts?connect_error=<code>&message=…`',
    },
  }),
};
