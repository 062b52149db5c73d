import { endpoints } from '@ebay-connector/contracts';
import { diagnoseTokens } from '../../../tokens/doctor/doctor.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

/** Read-only and secret-free, so viewers may read it. */
export function registerTokenDoctor(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.tokenDoctor),
    handler: async (request) => {
      const auth = signedIn(request);
      const q = request.query;
      return diagnoseTokens(deps.ctx, { orgId: auth.org.id, env: q.env, maxListed: q.limit });
    },
  });
}
