import { endpoints } from '@ebay-connector/contracts';
import { requestCycleNow } from '../../../workers/runCycleRequest.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { NotFoundError } from '../../errors.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

/**
 * Every org shares the worker, so the requests of one org are limited: 6 a minute. A request
 * made while one is pending changes nothing but its time: one cycle answers both.
 */
export function registerRunCycle(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.runCycle, {
      rateLimit: {
        max: 6,
        timeWindow: 60_000,
        hook: 'preHandler',
        keyGenerator: (request) => `run-cycle:${request.auth?.org.id ?? '-'}`,
      },
    }),
    handler: async (request) => {
      const auth = signedIn(request);
      const loop = await requestCycleNow(deps.ctx.db, {
        name: request.params.name,
        orgId: auth.org.id,
        by: auth.user.email,
        now: deps.ctx.now(),
      });
      if (!loop) throw new NotFoundError(`loop "${request.params.name}" (no replica has reported)`);
      return { loop };
    },
  });
}
