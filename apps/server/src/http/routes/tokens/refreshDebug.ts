import { refreshDebugBody, refreshDebugResponse } from '@ebay-connector/contracts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { presentRefreshResult, runRefresh } from '../accounts/runRefresh.ts';
import { errorResponses, perAccountRateLimit, requireOrgAccount } from '../shared.ts';

/**
 * POST /api/admin/ebay/token/refresh-debug: one refresh with source `debug`, answered with
 * the whole masked HTTP exchange (request and response null when it stopped before HTTP,
 * e.g. decrypt_failed, whose diagnosis is the error description). 6 a minute per account.
 */
export function registerRefreshDebug(app: ZodApp, deps: HttpDeps): void {
  app.post(
    '/api/admin/ebay/token/refresh-debug',
    {
      schema: {
        tags: ['tokens'],
        body: refreshDebugBody,
        response: { 200: refreshDebugResponse, ...errorResponses },
      },
      config: {
        access: 'admin',
        rateLimit: perAccountRateLimit(
          'debug',
          (body) => (body as { ebay_account_id?: string }).ebay_account_id,
        ),
      },
    },
    async (request) => {
      const auth = signedIn(request);
      const account = await requireOrgAccount(deps, auth, request.body.ebay_account_id);
      const result = await runRefresh(deps.ctx, account.id, { source: 'debug' });
      return presentRefreshResult(result);
    },
  );
}
