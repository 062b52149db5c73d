import { endpoints } from '@ebay-connector/contracts';
import { completeConnect } from '../../../tokens/connect/connectFlow.ts';
import type { ConnectOutcome } from '../../../tokens/connect/connectOutcome.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { connectResultUrl } from '../../presenters/connectResult.ts';
import type { HttpDeps, ZodApp } from '../../types.ts';

/**
 * The RuName's accept and decline URLs. Every outcome is a redirect to the Accounts page, a
 * malformed query (a parameter repeated or too long) and an unexpected error too: the seller's
 * browser never lands on a JSON error.
 */
export function registerOauthCallback(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.oauthCallback),
    // Validation errors reach the handler, which turns them into a redirect.
    attachValidation: true,
    handler: async (request, reply) => {
      if (request.validationError) {
        request.log.warn(
          { reason: request.validationError.message.slice(0, 300) },
          'malformed connect callback',
        );
        const outcome: ConnectOutcome = {
          ok: false,
          code: 'invalid_request',
          message: 'the callback query was malformed',
        };
        return reply.redirect(connectResultUrl(deps.uiBaseUrl, outcome), 303);
      }
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
  });
}
