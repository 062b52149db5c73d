import { endpoints } from '@ebay-connector/contracts';
import { getTokenInfo } from '../../../tokens/status/tokenInfo.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { NotFoundError } from '../../errors.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { requireOrgAccount } from '../shared.ts';

/** Who viewed the token facts is logged by the domain call (`token_info_viewed`). */
export function registerTokenInfo(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.tokenInfo),
    handler: async (request) => {
      const auth = signedIn(request);
      const account = await requireOrgAccount(deps, auth, request.params.id);
      const info = await getTokenInfo(deps.ctx, account, { userId: auth.user.id, email: auth.user.email });
      if (!info) throw new NotFoundError('stored tokens');
      return info;
    },
  });
}
