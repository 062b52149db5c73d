import { oauthCallbackQuery } from '@ebay-connector/contracts';
import { completeConnect } from '../../../tokens/connect/connectFlow.ts';
import type { ConnectOutcome } from '../../../tokens/connect/connectOutcome.ts';
import type { HttpDeps, ZodApp } from '../../types.ts';

/**
 * GET /api/ebay/oauth/callback: where eBay sends the seller back (the RuName's accept and
 * decline URLs). Every outcome, including a declined consent, a replayed or foreign state
 * and eBay errors, ends on the Accounts page with `connected=` or `connect_error=`.
 */
export function connectResultUrl(uiBaseUrl: string, outcome: ConnectOutcome): string {
  const url = new URL('/accounts', uiBaseUrl);
  if (outcome.ok) {
    url.searchParams.set('connected', outcome.accountId);
  } else {
    url.searchParams.set('connect_error', outcome.code);
    url.searchParams.set('message', outcome.message.slice(0, 300));
  }
  return url.toString();
}

export function registerOauthCallback(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/ebay/oauth/callback',
    {
      schema: { tags: ['connect'], querystring: oauthCallbackQuery },
      config: { access: 'session_optional' },
    },
    async (request, reply) => {
      const sessionId = request.auth?.sessionId ?? null;
      const outcome = await completeConnect(deps.ctx, request.query, sessionId).catch(
        (err: unknown): ConnectOutcome => {
          request.log.error({ err }, 'connect callback failed');
          return {
            ok: false,
            code: 'internal_error',
            message: `the connection failed (request id ${request.id})`,
          };
        },
      );
      return reply.redirect(connectResultUrl(deps.uiBaseUrl, outcome), 303);
    },
  );
}
