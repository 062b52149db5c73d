import { tokenStatusQuery, tokenStatusResponse } from '@ebay-connector/contracts';
import { queryTokenStatus } from '../../../tokens/status/statusQuery.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { checkAccountFilter, errorResponses } from '../shared.ts';

/** GET /api/admin/ebay/tokens/status: per-account token status, paged, with counts by state. */
export function registerTokenStatus(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/admin/ebay/tokens/status',
    {
      schema: {
        tags: ['tokens'],
        querystring: tokenStatusQuery,
        response: { 200: tokenStatusResponse, ...errorResponses },
      },
      config: { access: 'signed_in' },
    },
    async (request) => {
      const auth = signedIn(request);
      const q = request.query;
      await checkAccountFilter(deps, auth, q.ebay_account_id);
      return queryTokenStatus(deps.ctx, auth.org.id, {
        env: q.env,
        accountId: q.ebay_account_id,
        search: q.search,
        state: q.state,
        limit: q.limit,
        offset: q.offset,
      });
    },
  );
}
