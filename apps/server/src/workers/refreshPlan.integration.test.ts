import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { dbDateOrNull } from '../db/rows.ts';
import { createTestContext, type TestContext, useSim } from '../test/appContext.ts';
import { captureLogger } from '../test/captureLogger.ts';
import { describeEachDb } from '../test/db.ts';
import { buildDueAccounts, clearWorkerTables, readTokenRows } from '../test/workerFixtures.ts';
import { getValidAccessToken } from '../tokens/refresh/getValidAccessToken.ts';
import { createTokenRefreshWorker, type TokenRefreshWorkerOptions } from './tokenRefreshWorker.ts';

const T0 = new Date('2030-01-01T12:00:00Z');
const MINUTE = 60_000;

/** Issue 12: the refresh plan picks the warm accounts; a 429 pauses warm refreshes for everyone. */
describeEachDb('refresh plan in the cycle', (getDb) => {
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

  const runCycle = (options: TokenRefreshWorkerOptions = {}) =>
    createTokenRefreshWorker({ sleep: async () => {}, ...options }).runCycle(ctx);
  const setPolicy = (id: string, policy: string | null) =>
    ctx.db.execute(sql`update ebay_accounts set refresh_policy = ${policy} where id = ${id}`);
  const setLastUsed = (id: string, minutesAgo: number) =>
    ctx.db.execute(
      sql`update ebay_accounts set last_used_at = ${new Date(T0.getTime() - minutesAgo * MINUTE).toISOString()}::timestamptz where id = ${id}`,
    );
  const refreshedIds = async () =>
    (await readTokenRows(ctx.db)).filter((r) => r.last_refresh_success === true).map((r) => r.account_id);
  const warmFlags = async () =>
    Object.fromEntries(
      (
        await queryRows(
          ctx.db,
          sql`select id, refresh_warm from ebay_accounts`,
          z.object({ id: z.string(), refresh_warm: z.boolean() }),
        )
      ).map((r) => [r.id, r.refresh_warm]),
    );

  it('never refreshes an on_demand account; warm and auto ones are refreshed as before', async () => {
    const [onDemand, warm, auto] = await buildDueAccounts(ctx, getSim(), 3);
    await setPolicy(onDemand!.accountId, 'on_demand');
    await setPolicy(warm!.accountId, 'warm');

    const summary = await runCycle();
    expect(summary).toMatchObject({ checked: 3, due: 2, refreshed: 2 });
    expect((await refreshedIds()).sort()).toEqual([warm!.accountId, auto!.accountId].sort());
    expect(getSim().control.counters().refreshCalls).toBe(2);
    expect(summary.plan).toMatchObject({ warm: 2, on_demand: 1, budget: 40_000, paused_until: null });
  });

  it('over the budget keeps the most recently used auto accounts warm, then the oldest connected', async () => {
    // 40 calls a day less 20 % = 32: two warm accounts at 12.3 calls a day each.
    ctx = { ...ctx, env: { ...ctx.env, EBAY_DAILY_REFRESH_LIMIT: 40 } };
    const [pinned, usedLongAgo, usedRecently, neverA, neverB] = await buildDueAccounts(ctx, getSim(), 5);
    await setPolicy(pinned!.accountId, 'warm');
    await setLastUsed(usedLongAgo!.accountId, 600);
    await setLastUsed(usedRecently!.accountId, 5);

    const summary = await runCycle();
    expect(summary.plan).toMatchObject({ limit: 40, budget: 32, warm: 2, on_demand: 3 });
    expect((await refreshedIds()).sort()).toEqual([pinned!.accountId, usedRecently!.accountId].sort());
    expect(await warmFlags()).toEqual({
      [pinned!.accountId]: true,
      [usedLongAgo!.accountId]: false,
      [usedRecently!.accountId]: true,
      [neverA!.accountId]: false,
      [neverB!.accountId]: false,
    });

    // Demand moves: the account used a minute ago takes the warm place at the next cycle.
    await setLastUsed(neverB!.accountId, 1);
    ctx.clock.advance(10 * MINUTE);
    await runCycle();
    expect((await warmFlags())[neverB!.accountId]).toBe(true);
    expect((await warmFlags())[usedRecently!.accountId]).toBe(false);
  });

  it('a 429 with a long Retry-After pauses warm refreshes for every replica until then', async () => {
    const capture = captureLogger();
    ctx = { ...ctx, logger: capture.logger };
    await buildDueAccounts(ctx, getSim(), 5);
    getSim().control.setFaults({ retryAfterSeconds: 900 });
    getSim().control.failNext('429');

    const summary = await runCycle({ concurrency: 1 });
    // One call: the other due accounts are not tried one after another.
    expect(getSim().control.counters().refreshCalls).toBe(1);
    expect(summary).toMatchObject({
      refreshed: 0,
      failed: 1,
      failed_by_code: { rate_limited: 1 },
      skipped: summary.due - 1,
      skipped_by_reason: { paused: summary.due - 1 },
      circuit_open: false,
    });
    const pausedUntil = new Date(T0.getTime() + 15 * MINUTE).toISOString();
    expect(summary.plan?.paused_until).toBe(pausedUntil);
    const [pause] = await queryRows(
      ctx.db,
      sql`select paused_until from ebay_refresh_pauses`,
      z.object({ paused_until: dbDateOrNull }),
    );
    expect(pause?.paused_until?.toISOString()).toBe(pausedUntil);
    expect(capture.messages()).toContain(
      `eBay's token endpoint answered 429: warm refreshes paused until ${pausedUntil}`,
    );
    expect((await readTokenRows(ctx.db)).every((r) => r.lease_owner === null)).toBe(true);

    // Another replica's cycle within the pause makes no call.
    ctx.clock.advance(10 * MINUTE);
    const paused = await runCycle();
    expect(paused).toMatchObject({ due: 0, refreshed: 0 });
    expect(getSim().control.counters().refreshCalls).toBe(1);
    expect(capture.messages()).toContain(
      `Warm refreshes paused until ${pausedUntil}: eBay's token endpoint answered 429`,
    );

    // After it, every account is refreshed.
    ctx.clock.advance(10 * MINUTE);
    expect(await runCycle()).toMatchObject({ due: 5, refreshed: 5 });
  });

  it('once the last 24 h used the warm budget, stops warm refreshes and keeps the reserve', async () => {
    const capture = captureLogger();
    ctx = { ...ctx, logger: capture.logger, env: { ...ctx.env, EBAY_DAILY_REFRESH_LIMIT: 100 } };
    const [first] = await buildDueAccounts(ctx, getSim(), 3);
    const recent = new Date(T0.getTime() - 30 * MINUTE).toISOString();
    await ctx.db.execute(sql`insert into ebay_token_refresh_logs
        (org_id, account_id, started_at, finished_at, success, triggered_by, duration_ms)
      select ${first!.orgId}, ${first!.accountId}, ${recent}::timestamptz, ${recent}::timestamptz, true, 'scheduled', 5
      from generate_series(1, 79)`);

    // 79 used of a budget of 80: one warm refresh left, the 20 of the reserve untouched.
    const summary = await runCycle();
    expect(summary).toMatchObject({ due: 1, refreshed: 1 });
    expect(summary.plan).toMatchObject({ budget: 80, budget_reached: false, warning: false });
    ctx.clock.advance(MINUTE);
    await buildDueAccounts(ctx, getSim(), 1);
    const stopped = await runCycle();
    expect(stopped).toMatchObject({ due: 0, refreshed: 0 });
    expect(stopped.plan).toMatchObject({ used_24h: { refresh_token: 80 }, budget_reached: true });
    expect(getSim().control.counters().refreshCalls).toBe(1);
    expect(capture.messages()).toContain(
      'Warm refreshes stopped: the warm budget of 80 is used (80 refresh calls in the last 24 h); the reserve is kept for on-demand refreshes',
    );
  });
  it('on-demand calls within the reserve leave the warm budget to warm refreshes', async () => {
    ctx = { ...ctx, env: { ...ctx.env, EBAY_DAILY_REFRESH_LIMIT: 100 } };
    const [first] = await buildDueAccounts(ctx, getSim(), 2);
    const logCalls = (n: number, triggeredBy: string) =>
      ctx.db.execute(sql`insert into ebay_token_refresh_logs
          (org_id, account_id, started_at, finished_at, success, triggered_by, duration_ms)
        select ${first!.orgId}, ${first!.accountId}, ${T0.toISOString()}::timestamptz - interval '30 minutes',
          ${T0.toISOString()}::timestamptz - interval '30 minutes', true, ${triggeredBy}, 5
        from generate_series(1, ${n}::int)`);
    // 78 warm calls of a budget of 80, 15 on demand within the reserve of 20: two warm refreshes left.
    await logCalls(78, 'scheduled');
    await logCalls(15, 'on_demand');
    const summary = await runCycle();
    expect(summary).toMatchObject({ due: 2, refreshed: 2 });
    // The plan as the cycle started: 93 calls, past the warm budget of 80 counted the old way.
    expect(summary.plan).toMatchObject({ used_24h: { refresh_token: 93 }, budget_reached: false });

    // 1 more on demand: 16 on demand and 80 warm in all; warm refreshes stop, the reserve is left.
    ctx.clock.advance(MINUTE);
    await logCalls(1, 'on_demand');
    await buildDueAccounts(ctx, getSim(), 1);
    const stopped = await runCycle();
    expect(stopped).toMatchObject({ due: 0, refreshed: 0 });
    expect(stopped.plan).toMatchObject({ used_24h: { refresh_token: 96 }, budget_reached: true });
    expect(getSim().control.counters().refreshCalls).toBe(2);
  });

  it('an on_demand account gets its token refreshed when asked; a 429 there pauses the warm refreshes too', async () => {
    const [onDemand, warm] = await buildDueAccounts(ctx, getSim(), 2);
    await setPolicy(onDemand!.accountId, 'on_demand');
    await runCycle();
    expect(await refreshedIds()).toEqual([warm!.accountId]);

    const token = await getValidAccessToken(ctx, onDemand!.accountId, { minValidMs: 30 * MINUTE });
    expect(token).toMatchObject({ ok: true, refreshed: true });
    expect(getSim().control.counters().refreshCalls).toBe(2);

    // Later, both due again; eBay answers the on-demand refresh 429 with a quarter of an hour.
    ctx.clock.advance(2 * 60 * MINUTE);
    getSim().control.setFaults({ retryAfterSeconds: 900 });
    getSim().control.failNext('429');
    expect(await getValidAccessToken(ctx, onDemand!.accountId)).toMatchObject({
      ok: false,
      code: 'rate_limited',
    });
    const paused = await runCycle();
    expect(paused).toMatchObject({ due: 0, refreshed: 0 });
    expect(paused.plan?.paused_until).toBe(new Date(ctx.now().getTime() + 15 * MINUTE).toISOString());
    expect(getSim().control.counters().refreshCalls).toBe(3);
  });

  it('catching up after downtime spreads over the hours within the hourly share; due tokens that have not expired are not held back', async () => {
    const capture = captureLogger();
    // Budget 384 (480 less 20 %): an hourly share of 16; 24 accounts fit the warm set (31).
    ctx = { ...ctx, logger: capture.logger, env: { ...ctx.env, EBAY_DAILY_REFRESH_LIMIT: 480 } };
    const accounts = await buildDueAccounts(ctx, getSim(), 24);
    // Due but not expired (steady state): all refreshed at once, whatever the hourly share.
    expect(await runCycle()).toMatchObject({ due: 24, refreshed: 24 });

    // The worker was down for three hours: every warm token has expired.
    ctx.clock.advance(3 * 60 * MINUTE);
    getSim().control.resetCounters();
    const first = await runCycle();
    expect(first).toMatchObject({ refreshed: 16 });
    expect(getSim().control.counters().refreshCalls).toBe(16);
    expect(capture.messages()).toContain(
      'Catching up: 24 warm tokens have expired; refreshing at most 16 now (hourly share of the warm budget 16; 0 calls in the last hour, 0 of them on demand or manual)',
    );
    // Within the same hour nothing more, but a service still gets a token on demand (the reserve).
    ctx.clock.advance(10 * MINUTE);
    expect(await runCycle()).toMatchObject({ refreshed: 0 });
    const stillExpired = (await readTokenRows(ctx.db)).find((r) => r.access_expires_at! <= ctx.now());
    const onDemand = await getValidAccessToken(ctx, stillExpired!.account_id, { minValidMs: 300_000 });
    expect(onDemand).toMatchObject({ ok: true, refreshed: true });
    expect(getSim().control.counters().refreshCalls).toBe(17);
    // An hour after the first refreshes, the rest (room left for as many on-demand calls as the last hour had).
    ctx.clock.advance(51 * MINUTE);
    expect(await runCycle()).toMatchObject({ refreshed: 7 });
    const rows = await readTokenRows(ctx.db);
    expect(rows.filter((r) => r.access_expires_at! <= ctx.now())).toHaveLength(0);
    expect(rows.map((r) => r.account_id).sort()).toEqual(accounts.map((a) => a.accountId).sort());
  });
});
