import { healthResponse } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import type { HttpDeps, ZodApp } from '../../types.ts';

/** GET /healthz: 200 when the database answers, 503 when it does not (load balancers take the replica out). */
export function registerHealthz(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/healthz',
    {
      schema: { tags: ['system'], response: { 200: healthResponse, 503: healthResponse } },
      config: { access: 'public' },
      // Probed every few seconds: keep the request log for real traffic.
      logLevel: 'warn',
    },
    async (request, reply) => {
      try {
        await deps.ctx.db.execute(sql`select 1`);
        return { status: 'ok' as const, database: 'ok' as const };
      } catch (err) {
        request.log.warn({ err }, 'health check: database unreachable');
        return reply.code(503).send({ status: 'error', database: 'unreachable' });
      }
    },
  );
}
