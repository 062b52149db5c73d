import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startRole, waitFor } from '@ebay-connector/server/test-support';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const ADMIN_EMAIL = 'e2e-admin@example.com';
export const ADMIN_PASSWORD = 'e2e-password-123';

export interface EmbeddedServer {
  baseUrl: string;
  simUrl: string;
  output: () => string;
  /** Stops the process and keeps its data: the server is gone, as when it crashes or redeploys. */
  halt: () => Promise<void>;
  /** Starts it again on the same port with the same data (sessions included). */
  resume: () => Promise<void>;
  stop: () => Promise<void>;
}

/** The server serves the built UI; build it when a fresh checkout has none. */
function ensureWebBuild(): void {
  if (existsSync(path.join(repoRoot, 'apps/web/dist/index.html'))) return;
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', 'apps/web'],
    {
      cwd: repoRoot,
      stdio: 'ignore',
    },
  );
}

/**
 * `npm start`'s process (web + worker + simulator, PGlite in a temp DATA_DIR) on free
 * ports, run as one node process so stopping it stops everything.
 *
 * It runs in a scratch directory with DATA_DIR `./data`, as `npm start` has by default, so the
 * pages (the token doctor names the key file) and the README's screenshots show `./data/…`
 * rather than a random temp path. node_modules and tsconfig.json are linked in for tsx.
 */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  ensureWebBuild();
  const [port, simPort] = [await freePort(), await freePort()];
  const scratch = await mkdtemp(path.join(tmpdir(), 'ebay-connector-e2e-'));
  for (const name of ['node_modules', 'tsconfig.json']) {
    await symlink(path.join(repoRoot, name), path.join(scratch, name));
  }
  // The embedded default: no DATABASE_URL, no key ring, no eBay credentials (the spawner passes
  // none of the runner's), so the process starts its own simulator.
  const spawn = () =>
    startRole('all', {
      cwd: scratch,
      env: {
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: './data',
        ADMIN_EMAIL,
        ADMIN_PASSWORD,
        EBAY_SIM_PORT: String(simPort),
      },
    });
  let child = spawn();
  const baseUrl = `http://127.0.0.1:${port}`;
  const output = () => child.tail(200);
  const healthy = async () => {
    if (!child.alive()) throw new Error(`server exited with ${(await child.exit).code}:\n${output()}`);
    return fetch(`${baseUrl}/healthz`).then(
      (response) => response.ok,
      () => false, // not listening yet
    );
  };
  const started = () =>
    waitFor(healthy, 90_000, 'the server to be healthy', { intervalMs: 250, explain: output });
  await started();

  return {
    baseUrl,
    simUrl: `http://127.0.0.1:${simPort}`,
    output,
    halt: () => child.stop('SIGTERM', 15_000).then(() => undefined),
    resume: async () => {
      child = spawn();
      await started();
    },
    stop: async () => {
      await child.stop('SIGTERM', 15_000);
      await rm(scratch, { recursive: true, force: true });
    },
  };
}
