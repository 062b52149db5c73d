import { endpoints, TERMINAL_ACTIONS } from '@ebay-connector/contracts';
import { endpointRoute } from '../../endpointRoute.ts';
import { openLogEventStream, parseLastEventId } from '../../eventStream.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { checkAccountFilter, logFilterOf } from '../shared.ts';

/** Entries from any process within about a second; a reconnect resumes with what it missed. */
export function registerTerminalStream(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.terminalStream),
    handler: async (request, reply) => {
      const auth = signedIn(request);
      const q = request.query;
      const resumeAfterId = parseLastEventId(request.headers['last-event-id']) ?? q.after_id ?? null;
      await checkAccountFilter(deps, auth, q.ebay_account_id);
      const filter = logFilterOf(auth.org.id, TERMINAL_ACTIONS[q.kind], q);
      await openLogEventStream(request, reply, deps, auth, filter, resumeAfterId);
    },
  });
}
