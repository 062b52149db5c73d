import { timingSafeEqual } from 'node:crypto';
import { endpoints } from '@ebay-connector/contracts';
import { endpointRoute } from '../../endpointRoute.ts';
import { HttpError } from '../../errors.ts';
import type { HttpDeps, ZodApp } from '../../types.ts';

/**
 * What is measured and how: metrics.ts. The figures cover every org: with METRICS_TOKEN set, a
 * scrape needs `Authorization: Bearer <token>`; without it, /metrics answers only when
 * METRICS_PUBLIC=true (otherwise 404, saying how to turn it on).
 */
export function registerMetrics(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.metrics),
    logLevel: 'warn',
    handler: async (request, reply) => {
      const { METRICS_TOKEN: token, METRICS_PUBLIC: isPublic } = deps.ctx.env;
      if (token) {
        if (!bearerMatches(request.headers.authorization, token))
          throw new HttpError(401, 'unauthorized', 'metrics need Authorization: Bearer <METRICS_TOKEN>');
      } else if (!isPublic) {
        throw new HttpError(
          404,
          'metrics_disabled',
          'metrics are off: set METRICS_TOKEN (scrape with a bearer token) or METRICS_PUBLIC=true',
        );
      }
      const body = await deps.metrics.render();
      return reply.type(deps.metrics.contentType).send(body);
    },
  });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
