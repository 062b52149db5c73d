import { endpoints } from '@ebay-connector/contracts';
import { listLoopStatus } from '../../../workers/loopStatusQuery.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

export function registerLoopStatus(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.loopStatus),
    handler: async (request) => {
      const auth = signedIn(request);
      return { loops: await listLoopStatus(deps.ctx.db, auth.org.id, deps.ctx.now()) };
    },
  });
}
