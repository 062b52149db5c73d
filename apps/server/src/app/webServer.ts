import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../context.ts';
import { buildHttpApp } from '../http/app.ts';

export const WEB_DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** Starts the API (and the built UI, when present) on HOST:PORT. PORT=0 picks a free port. */
export async function startWebServer(
  ctx: AppContext,
): Promise<{ publicUrl: string; close(): Promise<void> }> {
  const host = ctx.env.HOST;
  const port = ctx.env.PORT || (await findFreePort(host));
  const publicUrl = (
    ctx.env.PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  ).replace(/\/$/, '');
  const webDistDir = existsSync(path.join(WEB_DIST_DIR, 'index.html')) ? WEB_DIST_DIR : undefined;
  if (!webDistDir)
    ctx.logger.warn({ dir: WEB_DIST_DIR }, 'Web UI not built (npm run build:web); serving the API only');
  const app = await buildHttpApp(ctx, { publicUrl, ...(webDistDir ? { webDistDir } : {}) });
  await app.listen({ port, host });
  return { publicUrl, close: () => app.close() };
}

function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
