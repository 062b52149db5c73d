import { connectStartBody, connectStartResponse } from '@ebay-connector/contracts';
import { startConnect } from '../../../tokens/connect/connectFlow.ts';
import { BadRequestError } from '../../errors.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { errorResponses } from '../shared.ts';

/** POST /api/admin/ebay/connect/start: eBay's consent URL with a single-use state bound to this session. */
export function registerConnectStart(app: ZodApp, deps: HttpDeps): void {
  app.post(
    '/api/admin/ebay/connect/start',
    {
      schema: {
        tags: ['connect'],
        body: connectStartBody,
        response: { 200: connectStartResponse, ...errorResponses },
      },
      config: { access: 'admin' },
    },
    async (request) => {
      const auth = signedIn(request);
      const { environment, house_name } = request.body;
      const { ebay } = deps.ctx;
      // One set of app credentials serves one eBay environment (the simulator serves both).
      if (!ebay.simulated && environment !== ebay.defaultEnvironment) {
        throw new BadRequestError(
          `environment: this deployment's eBay credentials are for ${ebay.defaultEnvironment}`,
          'environment_not_configured',
        );
      }
      const { authorizeUrl } = await startConnect(deps.ctx, {
        orgId: auth.org.id,
        userId: auth.user.id,
        sessionId: auth.sessionId,
        environment,
        houseName: house_name,
      });
      return { authorize_url: authorizeUrl };
    },
  );
}
