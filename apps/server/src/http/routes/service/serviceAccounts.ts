import type { RefreshErrorCode } from '@ebay-connector/contracts';
import { endpoints, MIN_VALID_SECONDS_DEFAULT } from '@ebay-connector/contracts';
import type { FastifyRequest } from 'fastify';
import {
  findServiceAccount,
  listServiceAccounts,
  type ServiceAccountRow,
} from '../../../tokens/accounts/serviceAccounts.ts';
import { getValidAccessToken } from '../../../tokens/refresh/getValidAccessToken.ts';
import { OnDemandCircuit } from '../../../tokens/refresh/onDemandCircuit.ts';
import { AccountNotFoundError } from '../../../tokens/refresh/refreshAccount.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { HttpError, NotFoundError } from '../../errors.ts';
import { type HttpDeps, withApiKey, type ZodApp } from '../../types.ts';

/**
 * The service API (`/api/v1`, an API key with scope `tokens`): the key's org's accounts, and a
 * valid access token of one of them, refreshed on demand. The refresh token never leaves.
 */

/** Failures only the seller can fix by reconnecting (or an admin by repairing the token). */
const RECONNECT_CODES: ReadonlySet<RefreshErrorCode> = new Set([
  'invalid_grant',
  'refresh_token_expired',
  'missing_scopes',
  'decrypt_failed',
]);
const DEFAULT_RETRY_AFTER_SECONDS = 30;

function needsReconnect(
  account: Pick<ServiceAccountRow, 'status' | 'statusReason'>,
  reason: string,
): HttpError {
  return new HttpError(
    409,
    'needs_reconnect',
    `this account cannot give a token (status ${account.status}): ${reason}`,
    {},
    { status: account.status, reason },
  );
}

function reasonOfStatus(account: ServiceAccountRow): string {
  if (account.statusReason) return account.statusReason;
  if (account.status === 'disabled') return 'an admin disabled the account';
  if (account.status === 'removed') return 'an admin removed the account';
  if (account.status === 'deleted') return 'eBay asked for the account to be deleted';
  return 'the seller must reconnect the account';
}

/** Requests per minute per key, counted in the database (every replica shares the count). */
function perKeyRateLimit(deps: HttpDeps) {
  return {
    max: deps.ctx.env.API_KEY_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => `api-key:${request.apiKey?.id ?? '-'}`,
  };
}

export function registerServiceAccounts(app: ZodApp, deps: HttpDeps): void {
  const { ctx } = deps;
  const circuit = new OnDemandCircuit();
  app.route({
    ...endpointRoute(endpoints.serviceAccounts, { rateLimit: perKeyRateLimit(deps) }),
    handler: async (request) => {
      const key = withApiKey(request);
      return { accounts: await listServiceAccounts(ctx.db, key.orgId, request.query) };
    },
  });
  app.route({
    ...endpointRoute(endpoints.serviceAccessToken, { rateLimit: perKeyRateLimit(deps) }),
    handler: async (request) => {
      const key = withApiKey(request);
      const account = await findServiceAccount(ctx.db, key.orgId, request.params.id);
      if (!account) throw new NotFoundError('eBay account');
      deps.usage.accountUsed(account.ebay_account_id, key.id);
      if (account.status !== 'active') throw needsReconnect(account, reasonOfStatus(account));
      const minValidSeconds = request.body?.min_valid_seconds ?? MIN_VALID_SECONDS_DEFAULT;
      let result: Awaited<ReturnType<typeof getValidAccessToken>>;
      try {
        result = await getValidAccessToken(ctx, account.ebay_account_id, {
          minValidMs: minValidSeconds * 1000,
          requestedBy: { apiKeyId: key.id, apiKeyName: key.name },
          circuit,
        });
      } catch (err) {
        if (err instanceof AccountNotFoundError) throw needsReconnect(account, 'no tokens are stored');
        throw err;
      }
      if (!result.ok) {
        if (RECONNECT_CODES.has(result.code)) {
          const now = await findServiceAccount(ctx.db, key.orgId, account.ebay_account_id);
          throw needsReconnect(now ?? account, now?.statusReason ?? result.message);
        }
        const retryAfter = result.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
        throw new HttpError(
          503,
          'ebay_unavailable',
          `eBay could not refresh the token right now (${result.code}: ${result.message}); try again later`,
          { 'retry-after': String(Math.max(1, Math.ceil(retryAfter))) },
        );
      }
      if (result.refreshed) {
        request.log.info(
          { accountId: account.ebay_account_id, apiKeyId: key.id, apiKeyName: key.name },
          'access token refreshed on demand',
        );
      }
      return {
        access_token: result.accessToken,
        expires_at: result.expiresAt.toISOString(),
        token_type: 'User Access Token' as const,
        scopes: account.scopes,
      };
    },
  });
}
