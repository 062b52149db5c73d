import { accountIdParams, manualRefreshResponse } from '@ebay-connector/contracts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { errorResponses, perAccountRateLimit, requireOrgAccount } from '../shared.ts';
import { presentRefreshResult, runRefresh } from './runRefresh.ts';

/** POST /api/admin/ebay/accounts/:id/refresh: a plain refresh now, source `manual`. 6 a minute per account. */
export function registerManualRefresh(app: ZodApp, deps: HttpDeps): void {
  app.post(
    '/api/admin/ebay/accounts/:id/refresh',
    {
      schema: {
        tags: ['accounts'],
        params: accountIdParams,
        response: { 200: manualRefreshResponse, ...errorResponses },
      },
      config: {
        access: 'admin',
        rateLimit: perAccountRateLimit('manual', (_body, params) => (params as { id?: string }).id),
      },
    },
    async (request) => {
      const auth = signedIn(request);
      const account = await requireOrgAccount(deps, auth, request.params.id);
      const result = presentRefreshResult(await runRefresh(deps.ctx, account.id, { source: 'manual' }));
      const { success, error, error_description, access_token_expires_at } = result;
      return { success, error, error_description, access_token_expires_at };
    },
  );
}
