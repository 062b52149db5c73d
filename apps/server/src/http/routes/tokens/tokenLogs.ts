import { endpoints, TOKEN_LOG_ACTIONS } from '@ebay-connector/contracts';
import { queryLogEntries } from '../../../logs/queryLogs.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { checkAccountFilter, logFilterOf } from '../shared.ts';

export function registerTokenLogs(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.tokenLogs),
    handler: async (request) => {
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
  });
}
