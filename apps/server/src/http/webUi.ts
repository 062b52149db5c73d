import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { errorBody } from './errors.ts';
import type { ZodApp } from './types.ts';

/**
 * The built web UI, served from the same origin as the API. Unknown non-API GETs without a
 * file extension get index.html (the SPA's router takes over); /api answers 404 in JSON.
 */
export async function registerWebUi(app: ZodApp, webDistDir: string | undefined): Promise<void> {
  if (webDistDir) {
    await app.register(fastifyStatic, { root: path.resolve(webDistDir), prefix: '/', index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const isApi = pathname === '/api' || pathname.startsWith('/api/');
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') && !/\.[A-Za-z0-9]+$/.test(pathname);
    if (webDistDir && !isApi && isPage) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send(errorBody('not_found', `no route ${request.method} ${pathname}`));
  });
}
