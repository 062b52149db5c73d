import type { HttpDeps, ZodApp } from '../../types.ts';

/** GET /metrics: Prometheus text format (see metrics.ts for what is measured and how). */
export function registerMetrics(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/metrics',
    { schema: { tags: ['system'] }, config: { access: 'public' }, logLevel: 'warn' },
    async (_request, reply) => {
      const body = await deps.metrics.render();
      return reply.type(deps.metrics.contentType).send(body);
    },
  );
}
