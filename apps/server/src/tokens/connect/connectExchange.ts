import type { AppContext } from '../../context.ts';
import { ebayEndpoints } from '../../ebay/endpoints.ts';
import type { CapturedExchange } from '../../ebay/httpCapture.ts';
import { getUser } from '../../ebay/identity.ts';
import { sendTokenRequest } from '../../ebay/oauthClient.ts';
import { buildCodeExchangeRequest } from '../../ebay/refreshRequest.ts';
import { writeConnectLog } from '../../logs/connectLog.ts';
import { maskExchange, maskFreeText } from '../../logs/mask.ts';
import type { ConnectFlowScope, ConnectOutcome } from './connectOutcome.ts';
import { checkReconnectSeller } from './reconnectSeller.ts';
import { storeNewGrant } from './storeGrant.ts';

/**
 * The second half of the callback: code → tokens (`token_exchanged`), tokens → seller
 * (Identity API), then the grant stored on the account keyed by eBay's user id
 * (`connect_completed`). A failure at any step is logged as `connect_failed` with the
 * masked transcript of the step that failed. A reconnect stores only a grant of its account's
 * own eBay user; another seller's is discarded (`wrong_seller`), never kept.
 */

export async function exchangeCodeAndStore(
  ctx: AppContext,
  flow: ConnectFlowScope,
  code: string,
): Promise<ConnectOutcome> {
  const endpoints = ebayEndpoints(flow.environment, ctx.ebay.overrides);
  const log = (
    action: 'token_exchanged' | 'connect_completed' | 'connect_failed',
    exchange: CapturedExchange | null,
    extra: { accountId?: string; error?: { code: string; message: string } } = {},
  ) => {
    const masked = exchange ? maskExchange(exchange, { clientSecret: ctx.ebay.clientSecret }) : null;
    return writeConnectLog(ctx.db, {
      ...flow,
      accountId: extra.accountId ?? null,
      action,
      source: 'connect',
      request: masked?.request ?? null,
      response: masked?.response ?? null,
      error: extra.error ?? null,
      durationMs: exchange?.duration_ms ?? null,
    });
  };
  const fail = async (exchange: CapturedExchange | null, errorCode: string, message: string) => {
    const safe = maskFreeText(message).slice(0, 500);
    await log('connect_failed', exchange, {
      error: { code: errorCode, message: safe },
      ...(flow.accountId ? { accountId: flow.accountId } : {}),
    });
    return { ok: false as const, code: errorCode, message: safe };
  };

  const request = buildCodeExchangeRequest({
    tokenUrl: endpoints.tokenUrl,
    clientId: ctx.ebay.clientId,
    clientSecret: ctx.ebay.clientSecret,
    ruName: ctx.ebay.ruName,
    code,
  });
  const { exchange, outcome } = await sendTokenRequest(request, { timeoutMs: ctx.ebay.timeoutMs });
  if (!outcome.ok) return fail(exchange, outcome.code, `code exchange failed: ${outcome.message}`);
  if (!outcome.refreshToken) {
    return fail(exchange, 'ebay_unavailable', 'eBay answered the code exchange without a refresh token');
  }
  await log('token_exchanged', exchange);

  const identity = await getUser(endpoints.identityUserUrl, outcome.accessToken, {
    timeoutMs: ctx.ebay.timeoutMs,
  });
  if (!identity.user) {
    return fail(
      identity.exchange,
      identity.error.code,
      `eBay did not say who the seller is: ${identity.error.message}`,
    );
  }
  if (flow.accountId) {
    const wrong = await checkReconnectSeller(ctx.db, { ...flow, accountId: flow.accountId }, identity.user);
    if (wrong) {
      const failed = await fail(identity.exchange, 'wrong_seller', wrong.message);
      return { ...failed, wrongSeller: wrong.wrongSeller };
    }
  }
  const { accountId, created } = await storeNewGrant(ctx, {
    ...flow,
    onlyAccountId: flow.accountId,
    ebayUserId: identity.user.userId,
    ebayUsername: identity.user.username,
    accessToken: outcome.accessToken,
    accessExpiresIn: outcome.expiresIn,
    refreshToken: outcome.refreshToken,
    refreshExpiresIn: outcome.refreshTokenExpiresIn ?? null,
    scopes: ctx.ebay.scopes,
  });
  await log('connect_completed', identity.exchange, { accountId });
  return { ok: true, accountId, created, reconnected: flow.accountId !== null };
}
