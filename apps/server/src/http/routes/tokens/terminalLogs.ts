import { endpoints, TERMINAL_ACTIONS } from '@ebay-connector/contracts';
import { queryLogEntries } from '../../../logs/queryLogs.ts';
import { compiledSerializerCompiler } from '../../compiledSerializer.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { checkAccountFilter, logFilterOf } from '../shared.ts';

export function registerTerminalLogs(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.terminalLogs),
    // The hottest route (200 entries a page): checked by a compiled validator, a tenth of zod's cost.
    serializerCompiler: compiledSerializerCompiler,
    handler: async (request) => {
      const auth = signedIn(request);
      const q = request.query;
      await checkAccountFilter(deps, auth, q.ebay_account_id);
      // `action` narrows to those actions, whatever `kind` says.
      const filter = logFilterOf(auth.org.id, q.action ?? TERMINAL_ACTIONS[q.kind], q);
      const { entries, nextBeforeId } = await queryLogEntries(
        deps.ctx.db,
        { ...filter, errorCodes: q.error_code, from: q.from, to: q.to },
        { limit: q.limit, beforeId: q.before_id },
        deps.ctx.ebay.clientSecret,
        q.q ? { text: q.q } : undefined,
      );
      return { entries, next_before_id: nextBeforeId };
    },
  });
}
