import { endpoints } from '@ebay-connector/contracts';
import { endpointRoute } from '../../endpointRoute.ts';
import { presentRefreshDebug } from '../../presenters/refreshResult.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { perAccountRateLimit, requireOrgAccount, runRefresh } from '../shared.ts';

/**
 * Request and response are null when the refresh stopped before HTTP (e.g. decrypt_failed,
 * whose diagnosis is the error description). 6 a minute per account: each one calls eBay.
 */
export function registerRefreshDebug(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.refreshDebug, {
      rateLimit: perAccountRateLimit(
        'debug',
        (body) => (body as { ebay_account_id?: string }).ebay_account_id,
      ),
    }),
    handler: async (request) => {
      const auth = signedIn(request);
      const account = await requireOrgAccount(deps, auth, request.body.ebay_account_id);
      const outcome = await runRefresh(deps.ctx, account.id, { source: 'debug' });
      return presentRefreshDebug(outcome);
    },
  });
}
