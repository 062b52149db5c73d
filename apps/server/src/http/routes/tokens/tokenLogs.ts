import { tokenLogsQuery, tokenLogsResponse } from '@ebay-connector/contracts';
import { queryLogEntries, TOKEN_LOG_ACTIONS } from '../../../logs/queryLogs.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { checkAccountFilter, errorResponses, logFilterOf } from '../shared.ts';

/** GET /api/admin/ebay/tokens/logs: token connect logs for the JSON viewer, newest first. */
export function registerTokenLogs(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/admin/ebay/tokens/logs',
    {
      schema: {
        tags: ['logs'],
        querystring: tokenLogsQuery,
        response: { 200: tokenLogsResponse, ...errorResponses },
      },
      config: { access: 'signed_in' },
    },
    async (request) => {
      const auth = signedIn(request);
      const q = request.query;
      await checkAccountFilter(deps, auth, q.ebay_account_id);
      const { entries, nextBeforeId } = await queryLogEntries(
        deps.ctx.db,
        logFilterOf(auth.org.id, TOKEN_LOG_ACTIONS, q),
        { limit: q.limit, beforeId: q.before_id },
        deps.ctx.ebay.clientSecret,
      );
      return { logs: entries, next_before_id: nextBeforeId };
    },
  );
}
