import { endpoints } from '@ebay-connector/contracts';
import { listAccounts } from '../../../tokens/status/accountQuery.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

export function registerListAccounts(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.listAccounts),
    handler: async (request) => {
      const auth = signedIn(request);
      return { accounts: await listAccounts(deps.ctx, auth.org.id, request.query.env) };
    },
  });
}
