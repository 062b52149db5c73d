import { endpoints } from '@ebay-connector/contracts';
import { repairAndRefresh } from '../../../tokens/doctor/repairFollowUp.ts';
import { TOKEN_REFRESH_WORKER } from '../../../workers/tokenRefreshWorker.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

const MAX_LISTED = 1000;

/**
 * Each applied repair is logged as `token_repaired`; the repaired accounts that are due are
 * refreshed by a worker cycle requested at once. 10 runs a minute per org.
 */
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
      const body = request.body;
      return repairAndRefresh(deps.ctx, {
        orgId: auth.org.id,
        apply: body.apply,
        env: body.env,
        causes: body.causes,
        accountIds: body.ebay_account_ids,
        unknownKey: body.unknown_key,
        by: `api:${auth.user.email}`,
        requestedBy: auth.user.email,
        loopName: TOKEN_REFRESH_WORKER,
        maxListed: MAX_LISTED,
      });
    },
  });
}
