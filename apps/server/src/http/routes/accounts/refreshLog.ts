import { accountIdParams, refreshLogQuery, refreshLogResponse } from '@ebay-connector/contracts';
import { listRefreshLogs } from '../../../logs/queryLogs.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { errorResponses, requireOrgAccount } from '../shared.ts';

/** GET /api/admin/ebay/accounts/:id/refresh-log: "View log", the account's refresh attempts newest first. */
export function registerRefreshLog(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/admin/ebay/accounts/:id/refresh-log',
    {
      schema: {
        tags: ['accounts'],
        params: accountIdParams,
        querystring: refreshLogQuery,
        response: { 200: refreshLogResponse, ...errorResponses },
      },
      config: { access: 'signed_in' },
    },
    async (request) => {
      const auth = signedIn(request);
      const account = await requireOrgAccount(deps, auth, request.params.id);
      return { logs: await listRefreshLogs(deps.ctx.db, auth.org.id, account.id, request.query.limit) };
    },
  );
}
