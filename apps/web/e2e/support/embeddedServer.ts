import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../server/src/test/freePort.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const ADMIN_EMAIL = 'e2e-admin@example.com';
export const ADMIN_PASSWORD = 'e2e-password-123';

export interface EmbeddedServer {
  baseUrl: string;
  simUrl: string;
  output: () => string;
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

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server did not become healthy:\n${output()}`);
}

/**
 * `npm start`'s process (web + worker + simulator, PGlite in a temp DATA_DIR) on free
 * ports, run as one node process so stopping it stops everything.
 */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  ensureWebBuild();
  const [port, simPort] = [await freePort(), await freePort()];
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ebay-connector-e2e-'));
  // The embedded default: no DATABASE_URL (CI sets one for the server tests), no key ring, no eBay credentials.
  const { DATABASE_URL: _db, TOKEN_ENCRYPTION_KEYS: _keys, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/roles/all.ts'], {
    cwd: repoRoot,
    env: {
      ...inherited,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      EBAY_SIM_PORT: String(simPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const baseUrl = `http://127.0.0.1:${port}`;
  const output = () => log;
  await waitForHealth(baseUrl, child, output);

  return {
    baseUrl,
    simUrl: `http://127.0.0.1:${simPort}`,
    output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
