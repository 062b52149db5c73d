import type { IncomingMessage, ServerResponse } from 'node:http';
import { IDENTITY_SCOPE, type SimContext } from './context.ts';
import { headerValue, sendJson, sleep } from './httpUtil.ts';

/** `GET /commerce/identity/v1/user/` (served by eBay on apiz.ebay.com). */

function sendApiError(
  res: ServerResponse,
  status: number,
  errorId: number,
  message: string,
  longMessage: string,
) {
  sendJson(res, status, {
    errors: [
      {
        errorId,
        domain: errorId === 1001 ? 'OAuth' : 'API_IDENTITY',
        category: 'REQUEST',
        message,
        longMessage,
      },
    ],
  });
}

export async function handleIdentityUser(ctx: SimContext, req: IncomingMessage, res: ServerResponse) {
  ctx.counters.countIdentityCall();
  if (ctx.settings.latencyMs > 0) await sleep(ctx.settings.latencyMs);
  const match = /^Bearer\s+(\S+)$/i.exec(headerValue(req, 'authorization'));
  const token = match?.[1] ? ctx.store.validAccessToken(match[1]) : undefined;
  if (!token) {
    return sendApiError(
      res,
      401,
      1001,
      'Invalid access token',
      'Invalid access token. Check the value of the Authorization HTTP request header.',
    );
  }
  if (!token.scopes.includes(IDENTITY_SCOPE)) {
    return sendApiError(
      res,
      403,
      1100,
      'Access denied',
      'Insufficient permissions to fulfill the request. The access token lacks the commerce.identity.readonly scope.',
    );
  }
  sendJson(res, 200, {
    userId: token.seller.userId,
    username: token.seller.username,
    accountType: 'INDIVIDUAL',
    registrationMarketplaceId: 'EBAY_US',
  });
}
