import { endpoints } from '@ebay-connector/contracts';
import { repairTokens } from '../../../tokens/doctor/repairTokens.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

const MAX_LISTED = 1000;

/** Each applied repair is logged as `token_repaired`. 10 runs a minute per org. */
export function registerTokenRepair(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.tokenRepair, {
      rateLimit: {
        max: 10,
        timeWindow: 60_000,
        hook: 'preHandler',
        keyGenerator: (request) => `repair:${request.auth?.org.id ?? '-'}`,
      },
    }),
    handler: async (request) => {
      const auth = signedIn(request);
      return repairTokens(deps.ctx, {
        orgId: auth.org.id,
        apply: request.body.apply,
        env: request.body.env,
        by: `api:${auth.user.email}`,
        maxListed: MAX_LISTED,
      });
    },
  });
}
