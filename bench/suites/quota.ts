import { randomInt } from 'node:crypto';
import { startEbaySim } from '@ebay-connector/ebay-sim';
import { createTestContext } from '@ebay-connector/server/test-support';
import { createTokenRefreshWorker } from '@ebay-connector/server/worker';
import { createBenchDatabase } from '../lib/benchDb.ts';
import { atMost, type BenchOptions, type BenchResult, metric } from '../lib/result.ts';
import { seedOrgs, seedRefreshableAccounts } from '../lib/seed.ts';
import { round } from '../lib/stats.ts';

/**
 * Benchmark 5: eBay quota use of warm accounts. A simulated day on a controllable clock shared by
 * the worker (ctx.now) and the simulator (its `now` option): one cycle every
 * TOKEN_REFRESH_INTERVAL_SECONDS (600 s, start to start, like lib/loop.ts) and, between them, a
 * claim pass every TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS (60 s), as the loop runs them; 2-hour
 * access tokens. Accounts start with token ages spread evenly over two hours, as in a
 * long-running installation, so the day measured is steady state. Counts come from the
 * simulator; a token found expired is counted before every cycle and every claim pass.
 */

const DAY_S = 86_400;

export async function runQuotaSuite(o: BenchOptions): Promise<BenchResult> {
  const n = o.quick ? 200 : 1_000;
  const day = await simulateDay(n, {}, o);
  // The same day with claim passes off: the cycle grid alone, as before issue 12.
  const grid = await simulateDay(n, { TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: '0' }, o);
  return {
    id: 5,
    title: `Quota: ${n} warm accounts, simulated 24 h, cycles every ${day.interval} s, claim passes every ${day.claimInterval} s, margin ${day.margin} s (Postgres)`,
    metrics: [
      metric('refresh calls per warm account per day', round(day.perDay, 2), 'calls', atMost(12.6)),
      metric('fewest calls of one account', day.min, 'calls'),
      metric('most calls of one account', day.max, 'calls'),
      metric(`eBay daily limit used by ${n} accounts`, round((100 * day.calls) / 50_000, 1), '%'),
      metric('access tokens found expired at a cycle or claim pass', day.expiredUnseen, 'tokens', atMost(0)),
      metric('claim-pass refreshes reported in cycle entries', day.reportedByPasses, 'refreshes'),
      metric(
        `for comparison, claim passes off (cycle grid, threshold ${grid.threshold} s): calls per account per day`,
        round(grid.perDay, 2),
        'calls',
      ),
    ],
    notes: [
      `A warm token is refreshed by the first claim pass (every ${day.claimInterval} s) or cycle that finds it within ${day.margin} s + a tenth of its jitter (0–30 s) of expiry: on average about ${day.margin - day.claimInterval / 2 + 15} s before it expires, so 86,400 / (7,200 − ${day.margin - day.claimInterval / 2 + 15}) = ${round(DAY_S / (TTL - (day.margin - day.claimInterval / 2 + 15)), 2)} calls per account per day against the floor of 12. Failed attempts: ${day.failed}. Of the ${day.calls} calls, ${day.reportedByPasses} were made by claim passes and reported in the next cycle's entry (claim_passes); ${day.cycles} cycle entries were written.`,
      `Claim passes off, the ${grid.interval} s cycle grid with the ${grid.threshold} s threshold costs ${round(grid.perDay, 2)} calls per account (${grid.expiredUnseen} tokens found expired): a token refreshed at a cycle falls due at the cycle ${Math.ceil((TTL - grid.threshold) / grid.interval) * grid.interval} s later.`,
    ],
    details: { default: day, grid },
  };
}

const TTL = 7_200;

async function simulateDay(n: number, env: Record<string, string>, o: BenchOptions) {
  const db = await createBenchDatabase('quota');
  let clockMs = Date.now();
  const sim = await startEbaySim({ now: () => clockMs });
  try {
    const ctx = createTestContext(db, sim, { env });
    const interval = ctx.env.TOKEN_REFRESH_INTERVAL_SECONDS;
    const threshold = ctx.env.TOKEN_REFRESH_THRESHOLD_SECONDS;
    const start = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    ctx.clock.set(start);
    clockMs = start.getTime();
    const [orgId] = await seedOrgs(db.pool, ['quota-org']);
    const accounts = Array.from({ length: n }, (_, i) => {
      const g = sim.control.issueGrant({ userId: `q${i}`, username: `quota_${i}` });
      return {
        orgId: orgId!,
        grant: { userId: g.user_id, username: g.username, refreshToken: g.refresh_token },
        // Steady state: remaining life uniform over (0, 7200] s.
        accessExpiresAt: new Date(start.getTime() + (1 + randomInt(TTL)) * 1000),
      };
    });
    await seedRefreshableAccounts(db.pool, ctx.cipher, accounts, { now: start });
    sim.control.resetCounters();
    const worker = createTokenRefreshWorker();
    const claimInterval = ctx.env.TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS;
    const passesPerCycle = claimInterval > 0 ? Math.ceil(interval / claimInterval) - 1 : 0;
    const cycles = Math.round(DAY_S / interval);
    let failed = 0;
    let expiredUnseen = 0;
    let reportedByPasses = 0;
    const at = async (seconds: number) => {
      ctx.clock.set(new Date(start.getTime() + seconds * 1000));
      clockMs = ctx.clock.now().getTime();
      // An access token that expired before a cycle or pass came would have been a gap in service.
      const { rows } = await db.pool.query<{ n: number }>(
        'select count(*)::int as n from ebay_tokens where access_expires_at <= $1',
        [ctx.clock.now().toISOString()],
      );
      expiredUnseen += rows[0]!.n;
    };
    const t0 = performance.now();
    for (let k = 0; k < cycles; k++) {
      await at(k * interval);
      const summary = await worker.runCycle(ctx);
      failed += summary.failed;
      reportedByPasses += summary.claim_passes.refreshed;
      for (let j = 1; j <= passesPerCycle; j++) {
        await at(k * interval + j * claimInterval);
        await worker.runClaimPass(ctx);
      }
    }
    const counters = sim.control.counters();
    const perAccount = Object.values(counters.refreshCallsByToken);
    o.log(
      `  [5] interval ${interval} s, ${claimInterval > 0 ? `claim passes every ${claimInterval} s` : 'claim passes off'}: ${cycles} cycles (24 h simulated) in ${round((performance.now() - t0) / 1000, 1)} s, ${counters.refreshCalls} refresh calls`,
    );
    return {
      interval,
      threshold,
      claimInterval,
      margin: ctx.env.TOKEN_REFRESH_CLAIM_MARGIN_SECONDS,
      reportedByPasses,
      cycles,
      calls: counters.refreshCalls,
      perDay: counters.refreshCalls / n,
      min: perAccount.length ? Math.min(...perAccount) : 0,
      max: perAccount.length ? Math.max(...perAccount) : 0,
      failed,
      expiredUnseen,
    };
  } finally {
    await sim.close();
    await db.close();
  }
}
