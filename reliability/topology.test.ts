import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import { generateKeySpec } from '@ebay-connector/server';
import {
  buildDueAccounts,
  buildOrg,
  buildUser,
  createTestContext,
  createTestDatabase,
  cycleLogEntries,
  expectTokensIntact,
  freePort,
  type NodeProcess,
  readTokenRows,
  simulatorEnv,
  spawnWorker,
  startNodeProcess,
  startRole,
  type TestDatabase,
  type WorkerChild,
  waitFor,
} from '@ebay-connector/server/test-support';
import { sql } from 'drizzle-orm';

/**
 * The production topology without containers (issue 14): the commands of the `Procfile`
 * (`release: npm run db:migrate`, `web`, `worker`) as real processes, two web and two worker
 * replicas, on one fresh PostgreSQL database and one simulator. What an operator would notice:
 * both replicas answer and serve the same data, one cycle refreshes each due account exactly
 * once across the workers, and a worker stopped with SIGTERM mid-cycle loses nothing.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '../apps/server/src/cli.ts');
const ACCOUNTS = 12;
const KEY_SPEC = generateKeySpec('topo1');

describe.skipIf(!process.env.DATABASE_URL)(
  'production topology: migrate, 2 web, 2 workers [postgres]',
  () => {
    let database: TestDatabase;
    let sim: EbaySim;
    const children: NodeProcess[] = [];

    beforeAll(async () => {
      database = await createTestDatabase('postgres', { migrate: false });
      sim = await startEbaySim();
    });
    afterAll(async () => {
      await Promise.all(children.map((c) => (c.alive() ? c.stop('SIGKILL', 5_000) : null)));
      await sim?.close();
      await database?.close();
    });

    const roleEnv = (extra: Record<string, string> = {}) => ({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      DATABASE_URL: database.url!,
      TOKEN_ENCRYPTION_KEYS: KEY_SPEC,
      ...simulatorEnv(sim),
      ...extra,
    });

    async function startWeb(name: string): Promise<{ child: NodeProcess; url: string }> {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = startRole('web', {
        name,
        env: roleEnv({ PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url }),
      });
      children.push(child);
      await child.waitForLine(/Server listening at/, 60_000);
      return { child, url };
    }

    function startWorker(name: string): WorkerChild {
      // Short cycles so the test waits seconds, not the default 10 minutes.
      const child = spawnWorker({
        databaseUrl: database.url!,
        sim,
        env: { ...roleEnv(), TOKEN_REFRESH_INTERVAL_SECONDS: '1', TOKEN_REFRESH_CONCURRENCY: '2' },
      });
      const named = { ...child, name };
      children.push(named);
      return named;
    }

    async function instanceIdOf(worker: WorkerChild): Promise<string> {
      const [, id] = await worker.waitForLine(
        /"instance_id":"([^"]+)".*Token refresh worker started/,
        60_000,
      );
      return id!;
    }

    async function post(url: string, route: string, body: unknown, cookie?: string) {
      const res = await fetch(`${url}${route}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: url,
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown>, res };
    }

    const tableCount = async () => {
      const r = (await database.db.execute(
        sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
      )) as unknown as { rows: { n: number }[] };
      return r.rows[0]!.n;
    };

    it('serves the same data from both web replicas; refreshes each due account exactly once; SIGTERM mid-cycle loses nothing', async () => {
      const ctx = createTestContext(database, sim, { keySpec: KEY_SPEC });

      // release: `npm run db:migrate`, its own process, before any replica starts.
      expect(await tableCount()).toBe(0);
      const migrate = startNodeProcess({
        script: CLI,
        name: 'migrate',
        args: ['db', 'migrate'],
        env: { NODE_ENV: 'production', DATABASE_URL: database.url!, TOKEN_ENCRYPTION_KEYS: KEY_SPEC },
      });
      children.push(migrate);
      expect((await migrate.exit).code, migrate.tail()).toBe(0);
      expect(migrate.tail()).toContain('Database migrated.');
      expect(await tableCount()).toBeGreaterThan(5);

      const org = await buildOrg(ctx.db, 'Topology Org');
      const admin = await buildUser(ctx.db, { orgId: org.id, role: 'admin' });
      const accounts = await buildDueAccounts(ctx, sim, ACCOUNTS);
      sim.control.resetCounters();
      sim.control.setLatency(100);

      // web ×2, worker ×2, all at once.
      const workers = [startWorker('worker-1'), startWorker('worker-2')];
      const [webA, webB] = await Promise.all([startWeb('web-1'), startWeb('web-2')]);
      const instanceIds = await Promise.all(workers.map(instanceIdOf));

      // Both replicas answer the load balancer's health check.
      for (const web of [webA!, webB!]) {
        const res = await fetch(`${web.url}/healthz`);
        expect(res.status, web.child.tail()).toBe(200);
      }

      // Same data: a user created through one replica signs in through the other.
      const signedIn = await post(webA!.url, '/api/auth/login', {
        email: admin.email,
        password: admin.password,
      });
      expect(signedIn.status).toBe(200);
      const cookie = signedIn.res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const created = await post(
        webA!.url,
        '/api/admin/users',
        { email: 'replica@topology.example', role: 'viewer', credential: 'one_time_password' },
        cookie,
      );
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const otherReplica = await post(webB!.url, '/api/auth/login', {
        email: 'replica@topology.example',
        password: created.body.one_time_password,
      });
      expect(otherReplica.status).toBe(200);
      expect(otherReplica.body).toMatchObject({
        user: { email: 'replica@topology.example' },
        org: { id: org.id },
      });

      // One cycle: every due account refreshed exactly once across the two workers.
      await waitFor(
        async () => (await readTokenRows(ctx.db)).every((r) => r.version === 2 && r.lease_owner === null),
        30_000,
        'every account refreshed once',
        { intervalMs: 100 },
      );
      const afterCycle = sim.control.counters();
      expect(afterCycle.refreshCalls).toBe(ACCOUNTS);
      expect(Object.values(afterCycle.refreshCallsByToken)).toEqual(Array(ACCOUNTS).fill(1));
      expect(afterCycle.maxConcurrentRefreshesOfOneToken).toBe(1);
      const cycles = (await cycleLogEntries(ctx.db)).map((e) => e.summary);
      expect(cycles.reduce((n, c) => n + c.refreshed, 0)).toBe(ACCOUNTS);
      expect(new Set(cycles.map((c) => c.instance_id))).toEqual(new Set(instanceIds));

      // Every access token comes due again; eBay slows down so a cycle is still running when one
      // worker gets SIGTERM (a deploy, a scale-down).
      const issuedBefore = new Set(sim.control.issuedSecrets());
      sim.control.setLatency(1_500);
      await database.db.execute(sql`update ebay_tokens set access_expires_at = now()`);
      let victimIndex = -1;
      await waitFor(
        async () => {
          if (sim.control.counters().inFlightRefreshes < 1) return false;
          // A lease owner is `<instance id>:<cycle>`.
          const owners = (await readTokenRows(ctx.db)).map((r) => r.lease_owner ?? '');
          victimIndex = instanceIds.findIndex((id) => owners.some((o) => o.startsWith(`${id}:`)));
          return victimIndex >= 0;
        },
        30_000,
        'a worker in the middle of a cycle',
        { intervalMs: 50 },
      );
      const victim = workers[victimIndex]!;
      victim.process.kill('SIGTERM');
      sim.control.setLatency(0);
      const exit = await victim.exit;
      expect(exit.code, victim.tail()).toBe(0);

      // The other worker (its next cycle) refreshes whatever the stopped one released.
      await waitFor(
        async () => (await readTokenRows(ctx.db)).every((r) => r.version === 3 && r.lease_owner === null),
        30_000,
        'every account refreshed again',
        { intervalMs: 100 },
      );
      const counters = sim.control.counters();
      expect(counters.refreshCalls).toBe(2 * ACCOUNTS);
      expect(Object.values(counters.refreshCallsByToken)).toEqual(Array(ACCOUNTS).fill(2));
      expect(counters.maxConcurrentRefreshesOfOneToken).toBe(1);

      // Nothing lost: every account holds the access token eBay issued it in this round (the
      // stopped worker's in-flight refreshes were written before it exited), nothing is stuck.
      const rows = await readTokenRows(ctx.db);
      expect(rows).toHaveLength(ACCOUNTS);
      expectTokensIntact(ctx, accounts, rows);
      const issuedNow = sim.control.issuedSecrets().filter((s) => !issuedBefore.has(s));
      const stored = rows.map((r) => {
        const d = ctx.cipher.decryptToken(r.access_token!);
        return d.ok ? d.plaintext : '';
      });
      expect(new Set(stored)).toEqual(new Set(issuedNow));
      expect(
        rows.every((r) => r.last_refresh_success && r.consecutive_failures === 0 && r.lease_until === null),
      ).toBe(true);
      const healthy = await fetch(`${webB!.url}/healthz`);
      expect(healthy.status).toBe(200);

      const survivor = workers[1 - victimIndex]!;
      expect((await survivor.stop('SIGTERM')).code, survivor.tail()).toBe(0);
      for (const web of [webA!, webB!]) expect((await web.child.stop('SIGTERM')).code).toBe(0);
    }, 120_000);
  },
);
