import { endpoints } from '@ebay-connector/contracts';
import { listLoopStatus } from '../../../workers/loopStatusQuery.ts';
import { refreshPlanForOrg } from '../../../workers/planState.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

export function registerLoopStatus(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.loopStatus),
    handler: async (request) => {
      const auth = signedIn(request);
      const now = deps.ctx.now();
      return {
        loops: await listLoopStatus(deps.ctx.db, auth.org.id, now),
        refresh_plan: await refreshPlanForOrg(deps.ctx, auth.org.id, now),
      };
    },
  });
}
