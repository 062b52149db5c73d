import { accountIdParams, tokenInfoResponse } from '@ebay-connector/contracts';
import { getTokenInfo } from '../../../tokens/status/tokenInfo.ts';
import { NotFoundError } from '../../errors.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { errorResponses, requireOrgAccount } from '../shared.ts';

/** GET /api/admin/ebay/accounts/:id/token-info: masked token facts; each view is logged (token_info_viewed). */
export function registerTokenInfo(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/admin/ebay/accounts/:id/token-info',
    {
      schema: {
        tags: ['accounts'],
        params: accountIdParams,
        response: { 200: tokenInfoResponse, ...errorResponses },
      },
      config: { access: 'signed_in' },
    },
    async (request) => {
      const auth = signedIn(request);
      const account = await requireOrgAccount(deps, auth, request.params.id);
      const info = await getTokenInfo(deps.ctx, account, { userId: auth.user.id, email: auth.user.email });
      if (!info) throw new NotFoundError('stored tokens');
      return info;
    },
  );
}
