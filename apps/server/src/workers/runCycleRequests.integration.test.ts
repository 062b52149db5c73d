import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import { createTestContext, type TestContext } from '../test/appContext.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { spawnWorker, type WorkerChild } from '../test/roles.ts';
import { waitFor } from '../test/waitFor.ts';
import {
  buildDueAccounts,
  clearWorkerTables,
  cycleLogEntries,
  readTokenRows,
} from '../test/workerFixtures.ts';
import { listLoopStatus } from './loopStatusQuery.ts';
import { requestCycleNow } from './runCycleRequest.ts';
import { TOKEN_REFRESH_WORKER } from './tokenRefreshWorker.ts';

/**
 * "Run cycle now" with two real worker processes on one PostgreSQL database: the request goes
 * through the database and exactly one replica takes it and runs a cycle at once; both report
 * their next cycle ("next cycle in 60 min"), and leave the list when they stop.
 */
describe.skipIf(!process.env.DATABASE_URL)('Run cycle now across worker replicas [postgres]', () => {
  let database: TestDatabase;
  let sim: EbaySim;
  let ctx: TestContext;
  const children: WorkerChild[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    sim = await startEbaySim();
    ctx = createTestContext(database, sim);
    await clearWorkerTables(ctx.db);
  });
  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    await sim?.close();
    await database?.close();
  });

  const loop = async () => {
    const loops = await listLoopStatus(ctx.db, '00000000-0000-4000-8000-000000000000', new Date());
    return loops.find((l) => l.name === TOKEN_REFRESH_WORKER);
  };
  const cycles = async () => (await cycleLogEntries(ctx.db)).map((e) => e.summary);

  it('two replicas: one takes each request and runs a cycle within seconds; both show their next cycle', async () => {
    const workers = [0, 1].map(() => {
      const child = spawnWorker({
        databaseUrl: database.url!,
        sim,
        env: { TOKEN_REFRESH_INTERVAL_SECONDS: '3600' },
      });
      children.push(child);
      return child;
    });
    // Each runs its first cycle at start, then sleeps for an hour.
    await waitFor(
      async () => (await loop())?.replicas.filter((r) => r.next_cycle_at).length === 2,
      60_000,
      'two sleeping replicas',
    );
    const status = (await loop())!;
    const inAnHour = Date.now() + 3600_000;
    for (const replica of status.replicas) {
      expect(Math.abs(Date.parse(replica.next_cycle_at!) - inAnHour)).toBeLessThan(60_000);
    }
    expect(Date.parse(status.next_cycle_at!)).toBe(
      Math.min(...status.replicas.map((r) => Date.parse(r.next_cycle_at!))),
    );
    expect(await cycles()).toHaveLength(2);

    const accounts = await buildDueAccounts(ctx, sim, 5);
    sim.control.resetCounters();
    for (let round = 1; round <= 3; round++) {
      const asked = Date.now();
      const requested = await requestCycleNow(ctx.db, {
        name: TOKEN_REFRESH_WORKER,
        orgId: accounts[0]!.orgId,
        by: 'admin@example.test',
        now: new Date(),
      });
      expect(requested?.run_request).toMatchObject({ requested_by: 'admin@example.test' });
      await waitFor(
        async () => (await cycles()).length === 2 + round,
        10_000,
        `the requested cycle ${round}`,
      );
      // Within the poll period plus the cycle, not an hour.
      expect(Date.now() - asked).toBeLessThan(5_000);
      const after = (await loop())!;
      const last = (await cycles()).at(-1)!;
      expect(after.run_request?.taken_by).toBe(last.instance_id);
      expect(status.replicas.map((r) => r.instance_id)).toContain(last.instance_id);
    }
    // Nobody ran a cycle nobody asked for, and the accounts were refreshed once, by the first one.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await cycles()).toHaveLength(5);
    expect(sim.control.counters().refreshCalls).toBe(5);
    const rows = await readTokenRows(ctx.db);
    expect(rows.filter((r) => r.last_refresh_success)).toHaveLength(5);

    for (const w of workers) w.process.kill('SIGTERM');
    expect((await Promise.all(workers.map((w) => w.exit))).map((e) => e.code)).toEqual([0, 0]);
    expect((await loop())!.replicas).toEqual([]);
  }, 120_000);
});
