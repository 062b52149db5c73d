import { endpoints } from '@ebay-connector/contracts';
import { queryTokenStatus } from '../../../tokens/status/statusQuery.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { checkAccountFilter } from '../shared.ts';

export function registerTokenStatus(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.tokenStatus),
    handler: async (request) => {
      const auth = signedIn(request);
      const q = request.query;
      await checkAccountFilter(deps, auth, q.ebay_account_id);
      return queryTokenStatus(deps.ctx, auth.org.id, {
        env: q.env,
        accountId: q.ebay_account_id,
        search: q.search,
        state: q.state,
        errorCode: q.error_code,
        limit: q.limit,
        offset: q.offset,
      });
    },
  });
}
