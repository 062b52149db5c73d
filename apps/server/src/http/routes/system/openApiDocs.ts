import type { ZodApp } from '../../types.ts';

/** GET /api/docs: the OpenAPI document generated from the contracts' zod schemas. */
export function registerOpenApiDocs(app: ZodApp): void {
  app.get('/api/docs', { schema: { hide: true }, config: { access: 'public' } }, async () => app.swagger());
}
