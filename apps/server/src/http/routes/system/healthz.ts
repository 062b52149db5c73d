import { endpoints } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { endpointRoute } from '../../endpointRoute.ts';
import type { HttpDeps, ZodApp } from '../../types.ts';

/** A 503 while the database does not answer, so load balancers take the replica out. */
export function registerHealthz(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.healthz),
    // Probed every few seconds: keep the request log for real traffic.
    logLevel: 'warn',
    handler: async (request, reply) => {
      try {
        await deps.ctx.db.execute(sql`select 1`);
        return { status: 'ok' as const, database: 'ok' as const };
      } catch (err) {
        request.log.warn({ err }, 'health check: database unreachable');
        return reply.code(503).send({ status: 'error', database: 'unreachable' });
      }
    },
  });
}
