import { endpoints } from '@ebay-connector/contracts';
import { startConnect } from '../../../tokens/connect/connectFlow.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { BadRequestError } from '../../errors.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

/** The state is bound to this session: only the admin who started can finish the connection. */
export function registerConnectStart(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.connectStart),
    handler: async (request) => {
      const auth = signedIn(request);
      const started = await startConnect(deps.ctx, {
        orgId: auth.org.id,
        userId: auth.user.id,
        sessionId: auth.sessionId,
        environment: request.body.environment,
        houseName: request.body.house_name,
      });
      if (!started.ok) throw new BadRequestError(started.message, started.code);
      return { authorize_url: started.authorizeUrl };
    },
  });
}
