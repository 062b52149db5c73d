import { cycleSummarySchema } from '@ebay-connector/contracts';
import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { dbJson } from '../db/rows.ts';
import { createTestContext, type TestContext } from '../test/appContext.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { spawnWorker, type WorkerChild } from '../test/roles.ts';
import { waitFor } from '../test/waitFor.ts';
import {
  buildDueAccounts,
  clearWorkerTables,
  cycleLogEntries,
  expectTokensIntact,
  readTokenRows,
} from '../test/workerFixtures.ts';
import { createTokenRefreshWorker } from './tokenRefreshWorker.ts';

/**
 * Real worker processes against one PostgreSQL database and one simulator: sharing the work
 * without overlap, surviving a SIGKILL, and stopping gracefully on SIGTERM.
 */
describe.skipIf(!process.env.DATABASE_URL)('token refresh worker processes [postgres]', () => {
  let database: TestDatabase;
  let sim: EbaySim;
  let ctx: TestContext;
  const children: WorkerChild[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    sim = await startEbaySim();
  });
  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    await sim?.close();
    await database?.close();
  });
  beforeEach(async () => {
    ctx = createTestContext(database, sim);
    await clearWorkerTables(ctx.db);
    sim.control.reset();
  });

  /** The production role (`roles/worker.ts`), or with knobs the test variant of it. */
  const start = (env: Record<string, string>, knobs?: Record<string, unknown>) => {
    const child = spawnWorker({ databaseUrl: database.url!, sim, env, ...(knobs ? { knobs } : {}) });
    children.push(child);
    return child;
  };
  const summaries = async () => (await cycleLogEntries(ctx.db)).map((e) => e.summary);

  it('three instances, 600 due accounts: each refreshed exactly once, never concurrently', async () => {
    const accounts = await buildDueAccounts(ctx, sim, 600, { orgCount: 3 });
    sim.control.resetCounters();
    sim.control.setLatency(40);
    const workers = [0, 1, 2].map(() =>
      start({ TOKEN_REFRESH_CONCURRENCY: '8' }, { waitForGo: true, worker: { intervalSeconds: 3600 } }),
    );
    await Promise.all(workers.map((w) => w.waitForEvent('ready')));
    for (const w of workers) w.go();
    await waitFor(async () => (await summaries()).length === 3, 60_000, 'three cycle entries');
    for (const w of workers) w.process.kill('SIGTERM');
    expect((await Promise.all(workers.map((w) => w.exit))).map((e) => e.code)).toEqual([0, 0, 0]);

    const counters = sim.control.counters();
    expect(counters.refreshCalls).toBe(600);
    expect(Object.keys(counters.refreshCallsByToken)).toHaveLength(600);
    expect(Object.values(counters.refreshCallsByToken).every((n) => n === 1)).toBe(true);
    expect(counters.maxConcurrentRefreshesOfOneToken).toBe(1);

    const cycles = await summaries();
    expect(new Set(cycles.map((c) => c.instance_id)).size).toBe(3);
    expect(cycles.reduce((n, c) => n + c.refreshed, 0)).toBe(600);
    expect(cycles.reduce((n, c) => n + c.due, 0)).toBe(600);
    // The work was shared, not done by whichever instance started first.
    expect(cycles.filter((c) => c.refreshed > 0).length).toBeGreaterThanOrEqual(2);
    const rows = await readTokenRows(ctx.db);
    expect(rows.every((r) => r.version === 2 && r.lease_owner === null && r.last_refresh_success)).toBe(true);
    expect(rows).toHaveLength(accounts.length);
  }, 90_000);

  it('a worker SIGKILLed mid-cycle: no half-written row; after its lease expires another instance finishes', async () => {
    const accounts = await buildDueAccounts(ctx, sim, 40);
    sim.control.resetCounters();
    sim.control.setLatency(1_500);
    // Claims batches of max(concurrency, 10): 8 in flight, 2 waiting, 30 never claimed.
    const victim = start({ TOKEN_REFRESH_CONCURRENCY: '8', TOKEN_REFRESH_INTERVAL_SECONDS: '3600' });
    await waitFor(() => sim.control.counters().inFlightRefreshes >= 8, 30_000, 'refreshes in flight');
    victim.process.kill('SIGKILL');
    expect((await victim.exit).signal).toBe('SIGKILL');
    sim.control.setLatency(0);

    // Whatever the kill interrupted, every row is either untouched or fully refreshed.
    const logs = await queryRows(
      ctx.db,
      sql`select account_id from ebay_token_refresh_logs`,
      z.looseObject({ account_id: z.string() }),
    );
    const afterKill = await readTokenRows(ctx.db);
    const leased = afterKill.filter((r) => r.lease_owner !== null);
    expect(leased.length).toBeGreaterThanOrEqual(8);
    for (const row of afterKill) {
      const logged = logs.filter((l) => l.account_id === row.account_id).length;
      expect(row.version).toBe(1 + logged);
    }
    expectTokensIntact(ctx, accounts, afterKill);

    // Another instance does the rest now, but leaves the dead worker's leases alone until they expire.
    const survivor = createTokenRefreshWorker();
    const first = await survivor.runCycle(ctx);
    expect(first.due).toBe(40 - leased.length - logs.length);
    // Past the killed worker's lease: max(60 s, 4 × the 15 s eBay timeout + 15 s) = 75 s.
    ctx.clock.set(new Date(Date.now() + 76_000));
    const second = await survivor.runCycle(ctx);
    expect(second).toMatchObject({ due: leased.length, refreshed: leased.length, failed: 0 });

    const finalRows = await readTokenRows(ctx.db);
    expect(finalRows.every((r) => r.last_refresh_success && r.lease_owner === null)).toBe(true);
    expectTokensIntact(ctx, accounts, finalRows);
  }, 60_000);

  it('SIGTERM: in-flight refreshes finish, unstarted leases are released, exit code 0', async () => {
    await buildDueAccounts(ctx, sim, 20);
    sim.control.resetCounters();
    sim.control.setLatency(1_500);
    // Claims batches of max(concurrency, 10): 4 in flight, 6 waiting, 10 never claimed.
    const worker = start({ TOKEN_REFRESH_CONCURRENCY: '4', TOKEN_REFRESH_INTERVAL_SECONDS: '3600' });
    await waitFor(() => sim.control.counters().inFlightRefreshes >= 4, 30_000, 'refreshes in flight');
    worker.process.kill('SIGTERM');
    const exit = await worker.exit;
    expect(exit.code, worker.output.slice(-20).join('\n')).toBe(0);

    expect(sim.control.counters().refreshCalls).toBe(4);
    const rows = await readTokenRows(ctx.db);
    expect(rows.filter((r) => r.last_refresh_success).length).toBe(4);
    expect(rows.every((r) => r.lease_owner === null)).toBe(true);
    const [heartbeat] = await queryRows(
      ctx.db,
      sql`select last_status, last_summary from background_workers where name = 'token_refresh_worker'`,
      z.object({ last_status: z.string(), last_summary: dbJson(cycleSummarySchema) }),
    );
    expect(heartbeat?.last_status).toBe('ok');
    expect(heartbeat?.last_summary).toMatchObject({ aborted: true, refreshed: 4, due: 10, skipped: 6 });
    expect(heartbeat?.last_summary.skipped_by_reason).toEqual({ shutdown: 6 });
  }, 60_000);
});
