import { endpoints } from '@ebay-connector/contracts';
import { listRefreshLogs } from '../../../logs/queryLogs.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { requireOrgAccount } from '../shared.ts';

export function registerRefreshLog(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.refreshLog),
    handler: async (request) => {
      const auth = signedIn(request);
      const account = await requireOrgAccount(deps, auth, request.params.id);
      return { logs: await listRefreshLogs(deps.ctx.db, auth.org.id, account.id, request.query.limit) };
    },
  });
}
