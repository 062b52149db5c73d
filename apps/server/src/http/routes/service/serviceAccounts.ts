import { endpoints, MIN_VALID_SECONDS_DEFAULT } from '@ebay-connector/contracts';
import { listServiceAccounts } from '../../../tokens/accounts/serviceAccounts.ts';
import { getAppToken } from '../../../tokens/appToken/appToken.ts';
import { refuseUnconfiguredEnvironment } from '../../../tokens/connect/connectEnvironment.ts';
import { OnDemandCircuit } from '../../../tokens/refresh/onDemandCircuit.ts';
import { type ServiceTokenResult, serviceAccessToken } from '../../../tokens/refresh/serviceAccessToken.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { BadRequestError, HttpError, NotFoundError } from '../../errors.ts';
import { type HttpDeps, withApiKey, type ZodApp } from '../../types.ts';
import { registerEbayProxy } from './ebayProxy.ts';

/**
 * The service API (`/api/v1`, an API key with scope `tokens`): the key's org's accounts, and a
 * valid access token of one of them, refreshed on demand, and the application access token
 * (issue 13). The refresh token never leaves.
 */

/** When eBay gives no `Retry-After` for a failed client-credentials call. */
const APP_TOKEN_RETRY_AFTER_SECONDS = 30;

export function failureError(result: Exclude<ServiceTokenResult, { ok: true }>): HttpError {
  if (result.kind === 'not_found') return new NotFoundError('eBay account');
  if (result.kind === 'needs_reconnect') {
    const { status, reason } = result;
    const message = `this account cannot give a token (status ${status}): ${reason}`;
    return new HttpError(409, 'needs_reconnect', message, {}, { status, reason });
  }
  return new HttpError(503, 'ebay_unavailable', result.message, {
    'retry-after': String(result.retryAfterSeconds),
  });
}

export function registerServiceAccounts(app: ZodApp, deps: HttpDeps): void {
  const { ctx } = deps;
  // One breaker for every on-demand refresh a service causes: access-token calls and the proxy.
  const circuit = new OnDemandCircuit();
  registerEbayProxy(app, deps, circuit);
  app.route({
    ...endpointRoute(endpoints.serviceAccounts),
    handler: async (request) => {
      const key = withApiKey(request);
      return { accounts: await listServiceAccounts(ctx.db, key.orgId, request.query) };
    },
  });
  app.route({
    ...endpointRoute(endpoints.serviceAccessToken, { apiKeyReadsAccount: true }),
    handler: async (request) => {
      const key = withApiKey(request);
      const input = {
        orgId: key.orgId,
        accountId: request.params.id,
        minValidSeconds: request.body?.min_valid_seconds ?? MIN_VALID_SECONDS_DEFAULT,
        requestedBy: { apiKeyId: key.id, apiKeyName: key.name },
        // Read by the auth guard with the key, in the same statement.
        account: request.apiKeyAccount,
      };
      const result = await serviceAccessToken(ctx, input, circuit, (account) =>
        deps.usage.accountUsed(account.ebay_account_id, key.id),
      );
      if (!result.ok) throw failureError(result);
      if (result.refreshed) {
        const facts = { accountId: input.accountId, apiKeyId: key.id, apiKeyName: key.name };
        request.log.info(facts, 'access token refreshed on demand');
      }
      return {
        access_token: result.accessToken,
        expires_at: result.expiresAt.toISOString(),
        token_type: 'User Access Token' as const,
        scopes: result.scopes,
      };
    },
  });
  app.route({
    ...endpointRoute(endpoints.serviceAppToken),
    handler: async (request) => {
      withApiKey(request);
      const environment = request.body?.environment ?? ctx.ebay.defaultEnvironment;
      const refused = refuseUnconfiguredEnvironment(ctx.ebay, environment);
      if (refused) throw new BadRequestError(refused.message, refused.code);
      const result = await getAppToken(ctx, environment);
      if (!result.ok) {
        const retryAfter = Math.max(1, Math.ceil(result.retryAfterSeconds ?? APP_TOKEN_RETRY_AFTER_SECONDS));
        throw new HttpError(
          503,
          'ebay_unavailable',
          `eBay did not give an application token (${result.code}): ${result.message}`,
          { 'retry-after': String(retryAfter) },
        );
      }
      return {
        access_token: result.accessToken,
        expires_at: result.expiresAt.toISOString(),
        token_type: result.tokenType,
        scopes: result.scopes,
      };
    },
  });
}
