import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext, useSim } from '../test/appContext.ts';
import { describeEachDb } from '../test/db.ts';
import {
  buildDueAccounts,
  clearWorkerTables,
  cycleLogEntries,
  readTokenRows,
} from '../test/workerFixtures.ts';
import { createTokenRefreshWorker, type TokenRefreshWorkerOptions } from './tokenRefreshWorker.ts';

const T0 = new Date('2030-01-01T12:00:00Z');
const MINUTE = 60_000;

/**
 * Issue 12, "closer to the floor": between cycles, claim passes refresh warm tokens that expire
 * within TOKEN_REFRESH_CLAIM_MARGIN_SECONDS (180 s) + a tenth of their jitter (0–30 s).
 */
describeEachDb('claim passes between cycles', (getDb) => {
  const getSim = useSim();
  let ctx: TestContext;

  beforeEach(async () => {
    const sim = getSim();
    sim.control.reset();
    sim.control.resetCounters();
    ctx = createTestContext(getDb(), sim);
    ctx.clock.set(T0);
    await clearWorkerTables(ctx.db);
  });

  const worker = (options: TokenRefreshWorkerOptions = {}) =>
    createTokenRefreshWorker({ sleep: async () => {}, ...options });
  const refreshedIds = async () =>
    (await readTokenRows(ctx.db)).filter((r) => r.last_refresh_success === true).map((r) => r.account_id);
  const calls = () => getSim().control.counters().refreshCalls;

  it('refreshes a warm token due within the margin, not one outside it; the next cycle entry counts it', async () => {
    const [soon] = await buildDueAccounts(ctx, getSim(), 1, { accessExpiresInSeconds: 150 });
    // 300 s left: past 180 s + the largest claim jitter (30 s), so not due yet.
    const [later] = await buildDueAccounts(ctx, getSim(), 1, { accessExpiresInSeconds: 300 });
    const w = worker();

    await w.runClaimPass(ctx);
    expect(await refreshedIds()).toEqual([soon!.accountId]);
    expect(calls()).toBe(1);
    // A claim pass writes no entry of its own: the cycle is the unit of reporting.
    expect(await cycleLogEntries(ctx.db)).toEqual([]);

    ctx.clock.advance(MINUTE);
    await w.runClaimPass(ctx);
    expect(calls()).toBe(1);
    const cycle = await w.runCycle(ctx);
    expect(cycle).toMatchObject({
      due: 1,
      refreshed: 1,
      failed: 0,
      claim_passes: { passes: 2, due: 1, refreshed: 1, failed: 0 },
    });
    const [entry] = await cycleLogEntries(ctx.db);
    expect(entry!.summary).toMatchObject({ refreshed: 1, claim_passes: { passes: 2, refreshed: 1 } });

    // Two minutes later the other token has at most 180 s left: the next pass refreshes it.
    ctx.clock.advance(2 * MINUTE);
    await w.runClaimPass(ctx);
    expect((await refreshedIds()).sort()).toEqual([soon!.accountId, later!.accountId].sort());
    expect(calls()).toBe(2);
    // The next cycle counts only the passes since the previous one.
    expect((await w.runCycle(ctx)).claim_passes).toEqual({ passes: 1, due: 1, refreshed: 1, failed: 0 });
  });

  it("two workers' claim passes never refresh the same account twice", async () => {
    const accounts = await buildDueAccounts(ctx, getSim(), 30, { accessExpiresInSeconds: 100 });
    getSim().control.setLatency(20);
    const other = { ...ctx, instanceId: 'replica-b' };
    const [a, b] = [worker({ concurrency: 4, batchSize: 4 }), worker({ concurrency: 4, batchSize: 4 })];

    await Promise.all([a.runClaimPass(ctx), b.runClaimPass(other)]);
    const counters = getSim().control.counters();
    expect(counters.refreshCalls).toBe(accounts.length);
    expect(Object.values(counters.refreshCallsByToken).every((n) => n === 1)).toBe(true);
    expect((await refreshedIds()).length).toBe(accounts.length);
    const [ra, rb] = [await a.runCycle(ctx), await b.runCycle(other)];
    expect(ra.claim_passes.refreshed + rb.claim_passes.refreshed).toBe(accounts.length);
    expect(ra.claim_passes.refreshed).toBeGreaterThan(0);
    expect(rb.claim_passes.refreshed).toBeGreaterThan(0);
  });

  it('never refreshes an on_demand account, even one whose token expired', async () => {
    const [onDemand, warm] = await buildDueAccounts(ctx, getSim(), 2, { accessExpiresInSeconds: 60 });
    await ctx.db.execute(
      sql`update ebay_accounts set refresh_policy = 'on_demand' where id = ${onDemand!.accountId}`,
    );
    const w = worker();
    await w.runCycle(ctx); // the cycle applies the plan: the on_demand account is not warm
    expect(await refreshedIds()).toEqual([warm!.accountId]);

    ctx.clock.advance(5 * MINUTE);
    await w.runClaimPass(ctx);
    expect(calls()).toBe(1);
    expect(await refreshedIds()).toEqual([warm!.accountId]);
  });

  it("a 429 stops the claim passes until eBay's Retry-After, for every replica", async () => {
    await buildDueAccounts(ctx, getSim(), 4, { accessExpiresInSeconds: 120 });
    getSim().control.setFaults({ retryAfterSeconds: 900 });
    getSim().control.failNext('429');
    const w = worker({ concurrency: 1 });

    await w.runClaimPass(ctx);
    // One call: the other due accounts are not tried one after another.
    expect(calls()).toBe(1);
    expect((await readTokenRows(ctx.db)).every((r) => r.lease_owner === null)).toBe(true);

    // Within the pause no pass (of this or another worker) calls eBay.
    ctx.clock.advance(MINUTE);
    await w.runClaimPass(ctx);
    await worker().runClaimPass(ctx);
    expect(calls()).toBe(1);
    expect((await w.runCycle(ctx)).claim_passes).toMatchObject({ passes: 2, failed: 1, refreshed: 0 });

    // After the pause the next pass refreshes them all.
    ctx.clock.advance(15 * MINUTE);
    await w.runClaimPass(ctx);
    expect((await refreshedIds()).length).toBe(4);
  });

  it('the running worker claims between cycles, on its claim interval', async () => {
    const controller = new AbortController();
    const w = worker({ claimIntervalSeconds: 0.05, runRequestPollMs: 20 });
    const handle = w.start(ctx, { signal: controller.signal });
    try {
      await waitFor(async () => (await cycleLogEntries(ctx.db)).length === 1);
      // Comes due after the first cycle; the next cycle is an interval (600 s) away.
      const [account] = await buildDueAccounts(ctx, getSim(), 1, { accessExpiresInSeconds: 90 });
      await waitFor(async () => (await refreshedIds()).includes(account!.accountId));
      expect(calls()).toBe(1);
      expect(await cycleLogEntries(ctx.db)).toHaveLength(1);
    } finally {
      controller.abort();
      await handle.done;
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
