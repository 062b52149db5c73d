import { terminalLogsQuery, terminalLogsResponse } from '@ebay-connector/contracts';
import { queryLogEntries, TERMINAL_ACTIONS } from '../../../logs/queryLogs.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { checkAccountFilter, errorResponses, logFilterOf } from '../shared.ts';

/**
 * GET /api/admin/ebay/tokens/terminal-logs: the unified terminal's history (scheduled,
 * debug, manual… and cycle markers), newest first, keyset-paged by `before_id`.
 */
export function registerTerminalLogs(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/admin/ebay/tokens/terminal-logs',
    {
      schema: {
        tags: ['logs'],
        querystring: terminalLogsQuery,
        response: { 200: terminalLogsResponse, ...errorResponses },
      },
      config: { access: 'signed_in' },
    },
    async (request, reply) => {
      const auth = signedIn(request);
      const q = request.query;
      await checkAccountFilter(deps, auth, q.ebay_account_id);
      const { entries, nextBeforeId } = await queryLogEntries(
        deps.ctx.db,
        logFilterOf(auth.org.id, TERMINAL_ACTIONS[q.kind], q),
        { limit: q.limit, beforeId: q.before_id },
        deps.ctx.ebay.clientSecret,
      );
      // Serialised without validating the answer against its schema first (that was a tenth of
      // this hot route's CPU, 200 entries a page): every entry is built by typed code,
      // presentLogEntry, from a row whose transcript was parsed with the contract's schemas.
      // The schema still documents the answer; errors thrown above are validated as elsewhere.
      void reply.type('application/json; charset=utf-8').serializer(JSON.stringify);
      return { entries, next_before_id: nextBeforeId };
    },
  );
}
