import { cycleSummarySchema } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { createSession, SESSION_TTL_MS } from '../auth/sessions.ts';
import { queryRows } from '../db/client.ts';
import { createTestContext, type TestContext, useSim } from '../test/appContext.ts';
import { captureLogger } from '../test/captureLogger.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount, buildOrg, buildUser } from '../test/factories.ts';
import {
  buildDueAccounts,
  clearWorkerTables,
  cycleLogEntries,
  readTokenRows,
} from '../test/workerFixtures.ts';
import { createTokenRefreshWorker, type TokenRefreshWorkerOptions } from './tokenRefreshWorker.ts';

const T0 = new Date('2030-01-01T12:00:00Z');
const HOUR = 3_600_000;

describeEachDb('token refresh cycle', (getDb) => {
  const getSim = useSim();
  let ctx: TestContext;
  let delays: number[];

  beforeEach(async () => {
    const sim = getSim();
    sim.control.reset();
    sim.control.resetCounters();
    ctx = createTestContext(getDb(), sim);
    ctx.clock.set(T0);
    delays = [];
    await clearWorkerTables(ctx.db);
  });

  /** A cycle with recorded (not slept) retry delays. */
  const runCycle = (options: TokenRefreshWorkerOptions = {}) =>
    createTokenRefreshWorker({
      sleep: async (ms) => {
        delays.push(ms);
      },
      ...options,
    }).runCycle(ctx);

  it('with nothing due, still records one cycle entry with zero counts and says so', async () => {
    const capture = captureLogger();
    ctx = { ...ctx, logger: capture.logger };
    await buildAccount(ctx, getSim(), { orgId: (await buildOrg(ctx.db)).id, accessExpiresInSeconds: 7200 });

    const summary = await runCycle();
    expect(summary).toMatchObject({
      checked: 1,
      due: 0,
      refreshed: 0,
      failed: 0,
      skipped: 0,
      circuit_open: false,
    });
    const [entry, ...more] = await cycleLogEntries(ctx.db);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      org_id: null,
      account_id: null,
      environment: null,
      source: 'scheduled',
      error: null,
    });
    expect(cycleSummarySchema.parse(entry!.summary)).toMatchObject({ due: 0, refreshed: 0, by_org: {} });
    expect(capture.messages()).toEqual(
      expect.arrayContaining([
        'Starting token refresh worker…',
        'No accounts need token refresh',
        'Token refresh worker completed: 0/0 accounts refreshed',
      ]),
    );
    expect(getSim().control.counters().refreshCalls).toBe(0);
  });

  it('refreshes every due account once, per org in the summary, and releases the leases', async () => {
    const capture = captureLogger();
    ctx = { ...ctx, logger: capture.logger };
    const accounts = await buildDueAccounts(ctx, getSim(), 12, { orgCount: 2 });
    const [orgA, orgB] = [accounts[0]!.orgId, accounts[1]!.orgId];

    const summary = await runCycle();
    expect(summary).toMatchObject({
      checked: 12,
      due: 12,
      refreshed: 12,
      failed: 0,
      attempts: 12,
      retries: 0,
    });
    expect(summary.by_org).toEqual({
      [orgA]: { due: 6, refreshed: 6, failed: 0, failed_by_code: {} },
      [orgB]: { due: 6, refreshed: 6, failed: 0, failed_by_code: {} },
    });
    expect(capture.messages()).toContain('Found 12 accounts needing token refresh');
    expect(capture.messages()).toContain('Token refresh worker completed: 12/12 accounts refreshed');
    const counters = getSim().control.counters();
    expect(counters.refreshCalls).toBe(12);
    expect(Object.values(counters.refreshCallsByToken).every((n) => n === 1)).toBe(true);
    for (const row of await readTokenRows(ctx.db)) {
      expect(row).toMatchObject({
        lease_owner: null,
        next_attempt_at: null,
        version: 2,
        last_refresh_success: true,
      });
      expect(row.access_expires_at!.getTime()).toBeGreaterThan(T0.getTime() + HOUR);
    }
    const [entry] = await cycleLogEntries(ctx.db);
    expect(entry!.summary).toMatchObject({ due: 12, refreshed: 12 });

    // Refreshed tokens are not due again in the next cycle.
    ctx.clock.advance(10 * 60_000);
    expect(await runCycle()).toMatchObject({ due: 0, refreshed: 0 });
  });

  it('makes at most TOKEN_REFRESH_CONCURRENCY calls to eBay at once, though more refreshes are in flight', async () => {
    await buildDueAccounts(ctx, getSim(), 40);
    getSim().control.setLatency(30);
    const summary = await runCycle({ concurrency: 4 });
    expect(summary).toMatchObject({ due: 40, refreshed: 40, failed: 0 });
    expect(getSim().control.counters()).toMatchObject({ refreshCalls: 40, maxInFlightRefreshes: 4 });
  });

  it('retries transient failures within the cycle with growing delays', async () => {
    await buildDueAccounts(ctx, getSim(), 1);
    getSim().control.failNext('5xx', 2);
    const summary = await runCycle({ retry: { baseDelayMs: 100, maxDelayMs: 1000 } });
    expect(summary).toMatchObject({ due: 1, refreshed: 1, attempts: 3, retries: 2 });
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('honours Retry-After on 429, and reschedules when it is longer than a cycle should wait', async () => {
    await buildDueAccounts(ctx, getSim(), 1);
    getSim().control.setFaults({ retryAfterSeconds: 3 });
    getSim().control.failNext('429');
    expect(await runCycle({ retry: { baseDelayMs: 10 } })).toMatchObject({ refreshed: 1, retries: 1 });
    expect(delays).toEqual([3000]);

    await clearWorkerTables(ctx.db);
    delays = [];
    await buildDueAccounts(ctx, getSim(), 1);
    getSim().control.setFaults({ retryAfterSeconds: 600 });
    getSim().control.failNext('429');
    const summary = await runCycle();
    expect(summary).toMatchObject({
      refreshed: 0,
      failed: 1,
      failed_by_code: { rate_limited: 1 },
      retries: 0,
    });
    expect(delays).toEqual([]);
    const [row] = await readTokenRows(ctx.db);
    expect(row!.next_attempt_at!.getTime()).toBeGreaterThanOrEqual(T0.getTime() + 600_000);
  });

  it('after the retries, reschedules a transient failure with backoff instead of every cycle', async () => {
    await buildDueAccounts(ctx, getSim(), 1);
    getSim().control.failNext('5xx', 5);
    const summary = await runCycle();
    expect(summary).toMatchObject({
      refreshed: 0,
      failed: 1,
      failed_by_code: { ebay_unavailable: 1 },
      attempts: 5,
    });
    const [row] = await readTokenRows(ctx.db);
    expect(row).toMatchObject({
      lease_owner: null,
      consecutive_failures: 5,
      last_error_code: 'ebay_unavailable',
    });
    const backoff = row!.next_attempt_at!.getTime() - T0.getTime();
    expect(backoff).toBeGreaterThanOrEqual(4 * 60_000);
    expect(backoff).toBeLessThanOrEqual(6 * 60_000);

    ctx.clock.advance(2 * 60_000);
    expect(await runCycle()).toMatchObject({ due: 0 });
    ctx.clock.advance(5 * 60_000);
    expect(await runCycle()).toMatchObject({ due: 1, refreshed: 1 });
    expect((await readTokenRows(ctx.db))[0]).toMatchObject({
      next_attempt_at: null,
      consecutive_failures: 0,
    });
  });

  it('parks terminal failures for hours without retrying them, and classifies them', async () => {
    const capture = captureLogger();
    ctx = { ...ctx, logger: capture.logger };
    const orgId = (await buildOrg(ctx.db)).id;
    const broken = await buildAccount(ctx, getSim(), {
      orgId,
      accessExpiresInSeconds: 60,
      brokenRefreshToken: 'double_encrypted',
    });
    const revoked = await buildAccount(ctx, getSim(), { orgId, accessExpiresInSeconds: 60 });
    getSim().control.revokeUser(revoked.grant.user_id);
    const expiring = await buildAccount(ctx, getSim(), {
      orgId,
      accessExpiresInSeconds: 60,
      refreshExpiresInSeconds: 30,
    });
    ctx.clock.advance(60_000);

    const summary = await runCycle();
    expect(summary).toMatchObject({
      due: 3,
      refreshed: 0,
      failed: 3,
      retries: 0,
      failed_by_code: { decrypt_failed: 1, invalid_grant: 1, refresh_token_expired: 1 },
    });
    expect(summary.by_org[orgId]?.failed_by_code).toEqual(summary.failed_by_code);
    // decrypt_failed stops before HTTP; the expired refresh token is never sent either.
    expect(getSim().control.counters().refreshCalls).toBe(1);
    const rows = new Map((await readTokenRows(ctx.db)).map((r) => [r.account_id, r]));
    for (const id of [broken.accountId, revoked.accountId, expiring.accountId]) {
      expect(rows.get(id)!.next_attempt_at!.getTime() - ctx.now().getTime()).toBe(6 * HOUR);
      expect(rows.get(id)!.lease_owner).toBeNull();
    }
    const statuses = await queryRows(
      ctx.db,
      sql`select id, status from ebay_accounts`,
      z.looseObject({ id: z.string(), status: z.string() }),
    );
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      [broken.accountId]: 'active',
      [revoked.accountId]: 'needs_reconnect',
      [expiring.accountId]: 'needs_reconnect',
    });
    // The log says what happens next as the other views do: no "next attempt" for a parked account.
    const failures = capture.messages().filter((m) => m.startsWith('Token refresh failed'));
    const lineFor = (id: string) => failures.find((m) => m.includes(id)) ?? '';
    expect(lineFor(revoked.accountId)).toMatch(
      /: invalid_grant — (?!invalid_grant).*; reconnect needed; not tried again until reconnected$/,
    );
    expect(capture.messages()).toContain('1 accounts need reconnecting: refresh token expired');
    expect(lineFor(broken.accountId)).toMatch(
      /decrypt_failed — .*; see the token doctor; next check in 6 h \(2030-01-01T18:01:00\.000Z\)$/,
    );
    expect(failures.join('\n')).not.toContain('next attempt');

    ctx.clock.advance(HOUR);
    expect(await runCycle()).toMatchObject({ due: 0 });
  });

  it('opens the circuit when eBay is down: stops, releases the rest, says so', async () => {
    await buildDueAccounts(ctx, getSim(), 40);
    getSim().control.setFaults({ rate5xx: 1 });
    const summary = await runCycle({ concurrency: 4, circuitBreaker: { minAttempts: 10, windowSize: 20 } });
    expect(summary.circuit_open).toBe(true);
    expect(summary.circuit_reason).toBe('ebay_unavailable');
    expect(summary.refreshed).toBe(0);
    expect(summary.skipped).toBeGreaterThan(0);
    expect(summary.skipped_by_reason.circuit_open).toBe(summary.skipped);
    expect(summary.failed + summary.skipped).toBe(summary.due);
    // Far fewer calls than 40 accounts × 5 attempts.
    expect(getSim().control.counters().refreshCalls).toBeLessThanOrEqual(10 + 4);
    const rows = await readTokenRows(ctx.db);
    expect(rows.every((r) => r.lease_owner === null)).toBe(true);
    // Accounts the cycle did not get to are due again next cycle (no backoff for them).
    expect(rows.filter((r) => r.next_attempt_at === null).length).toBeGreaterThanOrEqual(40 - summary.failed);
    const [entry] = await cycleLogEntries(ctx.db);
    expect(entry!.error).toMatchObject({ code: 'circuit_open' });
  });

  it('wrong app credentials (invalid_client) open the circuit at once', async () => {
    await buildDueAccounts(ctx, getSim(), 10);
    getSim().control.failNext('invalid_client');
    const summary = await runCycle({ concurrency: 1 });
    expect(summary).toMatchObject({
      circuit_open: true,
      circuit_reason: 'invalid_client',
      failed: 1,
      skipped: 9,
    });
    expect(getSim().control.counters().refreshCalls).toBe(1);
    // The account that was waiting for the eBay slot made no call and got its lease back.
    expect((await readTokenRows(ctx.db)).every((r) => r.lease_owner === null)).toBe(true);
  });

  it('a retry still waiting for an eBay slot when the circuit opens is given up with backoff, not sent', async () => {
    const [first, second] = await buildDueAccounts(ctx, getSim(), 2);
    // Calls in slot order: the first account's 5xx, then the second account's invalid_client.
    getSim().control.failNext('5xx');
    getSim().control.failNext('invalid_client');
    const summary = await runCycle({ concurrency: 1 });
    expect(summary).toMatchObject({
      due: 2,
      refreshed: 0,
      failed: 2,
      failed_by_code: { ebay_unavailable: 1, invalid_client: 1 },
      skipped: 0,
      circuit_open: true,
    });
    expect(getSim().control.counters().refreshCalls).toBe(2);
    const rows = await readTokenRows(ctx.db);
    const retried = rows.find((r) => r.account_id === first!.accountId)!;
    expect(retried).toMatchObject({ lease_owner: null, last_error_code: 'ebay_unavailable' });
    expect(retried.next_attempt_at).not.toBeNull();
    expect(rows.find((r) => r.account_id === second!.accountId)!.lease_owner).toBeNull();
  });

  it('an abort stops claiming and retrying: in-flight refreshes finish, the rest are released', async () => {
    await buildDueAccounts(ctx, getSim(), 20);
    getSim().control.setLatency(300);
    const controller = new AbortController();
    const cycle = createTokenRefreshWorker({ concurrency: 4 }).runCycle(ctx, controller.signal);
    await vi.waitFor(() => expect(getSim().control.counters().inFlightRefreshes).toBe(4), { timeout: 5000 });
    controller.abort();
    const summary = await cycle;
    expect(summary).toMatchObject({ aborted: true, refreshed: 4, failed: 0 });
    expect(summary.skipped_by_reason.shutdown).toBe(summary.due - 4);
    expect(getSim().control.counters().refreshCalls).toBe(4);
    expect((await readTokenRows(ctx.db)).every((r) => r.lease_owner === null)).toBe(true);
  });

  it('deletes old logs in batches and reports refresh-call quota use', async () => {
    const orgId = (await buildOrg(ctx.db)).id;
    const { accountId } = await buildAccount(ctx, getSim(), { orgId, accessExpiresInSeconds: 7200 });
    const old = new Date(T0.getTime() - 31 * 24 * HOUR).toISOString();
    const recent = new Date(T0.getTime() - 30 * 60_000).toISOString();
    await ctx.db.execute(sql`insert into ebay_connect_logs (org_id, action, source, created_at)
      select ${orgId}, 'token_refreshed', 'scheduled', ${old}::timestamptz from generate_series(1, 7)`);
    await ctx.db.execute(sql`insert into ebay_token_refresh_logs
        (org_id, account_id, started_at, finished_at, success, triggered_by, duration_ms)
      select ${orgId}, ${accountId}, t, t, true, 'scheduled', 5
      from (select (case when g <= 3 then ${old} else ${recent} end)::timestamptz as t
            from generate_series(1, 1703) g) s`);

    const summary = await runCycle();
    expect(summary.retention).toEqual({ connect_logs_deleted: 7, refresh_logs_deleted: 3 });
    // 1,700 calls in the last hour project to 40,800 a day: over 80 % of 50,000.
    expect(summary.quota).toEqual({
      calls_24h: 1700,
      calls_1h: 1700,
      projected_daily: 40_800,
      limit: 50_000,
      warning: true,
    });
  });

  it('deletes expired sessions and keeps live ones', async () => {
    const orgId = (await buildOrg(ctx.db)).id;
    // Two users: starting a session already deletes the same user's expired ones.
    const [gone, active] = [await buildUser(ctx.db, { orgId }), await buildUser(ctx.db, { orgId })];
    const expired = await createSession(ctx.db, gone.userId, new Date(T0.getTime() - SESSION_TTL_MS - 1000));
    const live = await createSession(ctx.db, active.userId, T0);
    const capture = captureLogger();
    ctx = { ...ctx, logger: capture.logger };

    await runCycle();
    const left = await queryRows(ctx.db, sql`select id from sessions`, z.object({ id: z.string() }));
    expect(left.map((r) => r.id)).toEqual([live.sessionId]);
    expect(left.map((r) => r.id)).not.toContain(expired.sessionId);
    expect(capture.messages()).toContain('Deleted 1 expired sessions');
  });

  it('calls onCycleRecorded with the summary once the cycle entry is written; a throwing hook fails nothing', async () => {
    await buildDueAccounts(ctx, getSim(), 2);
    const seen: { summary: unknown; entries: number }[] = [];
    const summary = await runCycle({
      onCycleRecorded: async (recorded) => {
        seen.push({ summary: recorded, entries: (await cycleLogEntries(ctx.db)).length });
      },
    });
    expect(seen).toEqual([{ summary, entries: 1 }]);

    const capture = captureLogger();
    ctx = { ...ctx, logger: capture.logger };
    await buildDueAccounts(ctx, getSim(), 1);
    const next = await runCycle({
      onCycleRecorded: async () => {
        throw new Error('receiver exploded');
      },
    });
    expect(next).toMatchObject({ due: 1, refreshed: 1 });
    expect(capture.messages()).toContain('Token refresh cycle hook failed');
  });
});
