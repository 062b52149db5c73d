import { endpoints } from '@ebay-connector/contracts';
import { endpointRoute } from '../../endpointRoute.ts';
import { presentManualRefresh } from '../../presenters/refreshResult.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { perAccountRateLimit, requireOrgAccount, runRefresh } from '../shared.ts';

/** 6 a minute per account: each one is a call to eBay. */
export function registerManualRefresh(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.manualRefresh, {
      rateLimit: perAccountRateLimit('manual', (_body, params) => (params as { id?: string }).id),
    }),
    handler: async (request) => {
      const auth = signedIn(request);
      const account = await requireOrgAccount(deps, auth, request.params.id);
      const outcome = await runRefresh(deps.ctx, account.id, { source: 'manual' });
      return presentManualRefresh(outcome);
    },
  });
}
