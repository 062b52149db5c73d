import { apiErrorSchema, terminalStreamQuery } from '@ebay-connector/contracts';
import { TERMINAL_ACTIONS } from '../../../logs/queryLogs.ts';
import { openLogEventStream, parseLastEventId } from '../../eventStream.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { checkAccountFilter, logFilterOf } from '../shared.ts';

/**
 * GET /api/admin/ebay/tokens/terminal-stream: Server-Sent Events live tail of the terminal
 * entries, from any process, within about a second. Resumes after `Last-Event-ID` (or
 * `after_id`) with what was missed.
 */
export function registerTerminalStream(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/admin/ebay/tokens/terminal-stream',
    {
      schema: {
        tags: ['logs'],
        querystring: terminalStreamQuery,
        response: { '4XX': apiErrorSchema },
      },
      config: { access: 'signed_in' },
    },
    async (request, reply) => {
      const auth = signedIn(request);
      const q = request.query;
      const resumeAfterId = parseLastEventId(request.headers['last-event-id']) ?? q.after_id ?? null;
      await checkAccountFilter(deps, auth, q.ebay_account_id);
      const filter = logFilterOf(auth.org.id, TERMINAL_ACTIONS[q.kind], q);
      await openLogEventStream(request, reply, deps, filter, resumeAfterId);
    },
  );
}
