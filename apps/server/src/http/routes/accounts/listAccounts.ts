import { accountsQuery, accountsResponse } from '@ebay-connector/contracts';
import { listAccounts } from '../../../tokens/status/accountQuery.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { errorResponses } from '../shared.ts';

/** GET /api/admin/ebay/accounts: the org's eBay accounts (Accounts page, account selection). */
export function registerListAccounts(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/admin/ebay/accounts',
    {
      schema: {
        tags: ['accounts'],
        querystring: accountsQuery,
        response: { 200: accountsResponse, ...errorResponses },
      },
      config: { access: 'signed_in' },
    },
    async (request) => {
      const auth = signedIn(request);
      return { accounts: await listAccounts(deps.ctx.db, auth.org.id, request.query.env) };
    },
  );
}
