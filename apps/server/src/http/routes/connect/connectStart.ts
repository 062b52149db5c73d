import { endpoints } from '@ebay-connector/contracts';
import { startConnect } from '../../../tokens/connect/connectFlow.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

/**
 * The state is bound to this session: only the admin who started can finish the connection.
 * With `ebay_account_id` it is a reconnect of that account (another org's id: 404).
 */
export function registerConnectStart(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.connectStart),
    handler: async (request) => {
      const auth = signedIn(request);
      const { environment, house_name, ebay_account_id } = request.body;
      const who = { orgId: auth.org.id, userId: auth.user.id, sessionId: auth.sessionId };
      const started = await startConnect(
        deps.ctx,
        ebay_account_id
          ? { ...who, ebayAccountId: ebay_account_id, environment }
          : // The contract requires both when no account is named.
            { ...who, environment: environment!, houseName: house_name! },
      );
      if (!started.ok) {
        if (started.code === 'not_found') throw new NotFoundError('eBay account');
        if (started.code === 'account_removed') throw new ConflictError(started.message, started.code);
        throw new BadRequestError(started.message, started.code);
      }
      return { authorize_url: started.authorizeUrl };
    },
  });
}
