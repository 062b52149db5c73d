import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlSocketPath } from '../cli/controlChannel.ts';
import { freePort } from '../test/freePort.ts';
import { type NodeProcess, startNodeProcess } from '../test/nodeProcess.ts';
import { startRole } from '../test/roles.ts';
import { waitFor } from '../test/waitFor.ts';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cli.ts');
const ADMIN = { email: 'lock-admin@x.example', password: 'lock-admin-password' };

/** `npm start` on one DATA_DIR, and the CLI beside it, as separate processes. */
describe('DATA_DIR lock and the CLI on the live data', () => {
  let dataDir: string;
  const children: NodeProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ebay-connector-lock-'));
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => (c.alive() ? c.stop('SIGKILL') : null)));
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startServer(): Promise<{ child: NodeProcess; url: string }> {
    const [port, simPort] = [await freePort(), await freePort()];
    const child = startRole('all', {
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        EBAY_SIM_PORT: String(simPort),
      },
    });
    children.push(child);
    return { child, url: `http://127.0.0.1:${port}` };
  }

  async function untilHealthy(child: NodeProcess, url: string): Promise<void> {
    await waitFor(
      async () => {
        if (!child.alive()) throw new Error(`server exited:\n${child.tail(50)}`);
        return fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
      },
      60_000,
      'the server to be healthy',
      { intervalMs: 100, explain: () => child.tail(50) },
    );
    // The control channel opens right after the HTTP server.
    await waitFor(() => existsSync(controlSocketPath(dataDir)), 10_000, 'the control socket');
  }

  async function cli(...args: string[]): Promise<{ code: number | null; output: string }> {
    const child = startNodeProcess({
      script: CLI,
      name: 'cli',
      args,
      env: { NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });
    children.push(child);
    const { code } = await child.exit;
    return { code, output: child.tail(200) };
  }

  async function signIn(url: string, email: string, password: string): Promise<number> {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    return response.status;
  }

  it('refuses a second start, serves the CLI live, and takes over a stale lock', async () => {
    const first = await startServer();
    await untilHealthy(first.child, first.url);
    const lockFile = path.join(dataDir, 'server.lock');
    const lock = JSON.parse(readFileSync(lockFile, 'utf8'));
    expect(lock).toMatchObject({ pid: first.child.pid, role: 'server', url: first.url });
    expect(statSync(lockFile).mode & 0o777).toBe(0o600);
    expect(statSync(controlSocketPath(dataDir)).mode & 0o077).toBe(0);

    // A second `npm start` on the same folder refuses at once, naming the running one.
    const second = await startServer();
    const exit = await second.child.exit;
    expect(exit.code).toBe(1);
    expect(second.child.tail()).toContain(`pid ${first.child.pid}`);
    expect(second.child.tail()).toContain(first.url);
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(first.child.pid);

    // The CLI acts on the live data: the user it creates signs in at once.
    const created = await cli(
      'users',
      'create',
      '--org',
      'Other Org',
      '--create-org',
      '--email',
      'other@x.example',
      '--role',
      'admin',
      '--password',
      'other-password-123',
    );
    expect(created.code, created.output).toBe(0);
    expect(created.output).toContain('other@x.example');
    expect(await signIn(first.url, 'other@x.example', 'other-password-123')).toBe(200);
    await first.child.waitForLine(/CLI command over the control channel/);

    // The doctor reads the current state: the org just created is there (none of its accounts).
    const doctor = await cli('tokens', 'doctor', '--org', 'Other Org', '--json');
    expect(doctor.code, doctor.output).toBe(0);
    const unknown = await cli('tokens', 'doctor', '--org', 'No Such Org', '--json');
    expect(unknown.code).not.toBe(0);

    // `npm run db:psql -- "…"` (db sql) reads the live database too.
    const query = await cli(
      'db',
      'sql',
      '--query',
      "select email from users where email = 'other@x.example'",
    );
    expect(query.code, query.output).toBe(0);
    expect(query.output).toContain('{"email":"other@x.example"}');

    // Stopped: the lock goes, and the CLI opens the folder itself.
    await first.child.stop('SIGTERM', 20_000);
    expect(existsSync(lockFile)).toBe(false);
    const offline = await cli(
      'users',
      'create',
      '--org',
      'Other Org',
      '--email',
      'offline@x.example',
      '--role',
      'viewer',
      '--password',
      'offline-password-123',
    );
    expect(offline.code, offline.output).toBe(0);
    expect(existsSync(lockFile)).toBe(false);

    // A crashed server (kill -9) leaves its lock; the next start takes it over and says so.
    const crashed = await startServer();
    await untilHealthy(crashed.child, crashed.url);
    await crashed.child.stop('SIGKILL');
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(crashed.child.pid);
    const next = await startServer();
    await untilHealthy(next.child, next.url);
    await next.child.waitForLine(/stale DATA_DIR lock/);
    // Nothing written through the CLI was lost.
    expect(await signIn(next.url, 'other@x.example', 'other-password-123')).toBe(200);
    expect(await signIn(next.url, 'offline@x.example', 'offline-password-123')).toBe(200);
    await next.child.stop('SIGTERM', 20_000);
  }, 120_000);
});
