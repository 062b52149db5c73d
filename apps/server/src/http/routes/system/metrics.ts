import { endpoints } from '@ebay-connector/contracts';
import { endpointRoute } from '../../endpointRoute.ts';
import type { HttpDeps, ZodApp } from '../../types.ts';

/** What is measured and how: metrics.ts. */
export function registerMetrics(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.metrics),
    logLevel: 'warn',
    handler: async (_request, reply) => {
      const body = await deps.metrics.render();
      return reply.type(deps.metrics.contentType).send(body);
    },
  });
}
