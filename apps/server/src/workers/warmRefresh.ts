import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { AppContext } from '../context.ts';
import { coerceError } from '../lib/errors.ts';
import { sleep } from '../lib/sleep.ts';
import type { ClaimedAccount } from '../tokens/sql/claimDue.ts';
import { warmDueRule } from '../tokens/sql/dueSchedule.ts';
import { rateLimitPauseUntil, recordRefreshPause } from '../tokens/sql/refreshPause.ts';
import { CircuitBreaker, DEFAULT_CIRCUIT_BREAKER } from './circuitBreaker.ts';
import { ClaimSource } from './claimSource.ts';
import type { CycleRecorder } from './cycleSummary.ts';
import { createEbaySlots, REFRESHES_PER_EBAY_SLOT } from './ebaySlots.ts';
import { type AccountRunEnv, processAccount } from './processAccount.ts';
import type { RefreshCycleOptions } from './refreshCycle.ts';
import { DEFAULT_RETRY_POLICY } from './retryPolicy.ts';

/**
 * The refresh core of a cycle and of a claim pass alike: claim due warm accounts (tokens/sql/dueSchedule.ts)
 * in batches with leases (`FOR UPDATE SKIP LOCKED`, so replicas share them), refresh them at
 * bounded concurrency with in-run retries, a circuit breaker and the 429 pause, and record the
 * outcomes in `recorder`. Claims at most `maxClaims` accounts (what is left of the warm budget).
 * Returns the run's breaker (open circuit, pause). Throws on database failure.
 */
export async function refreshWarmAccounts(
  ctx: AppContext,
  options: RefreshCycleOptions,
  run: { recorder: CycleRecorder; signal: AbortSignal; log: Logger; owner: string; maxClaims: number },
): Promise<CircuitBreaker> {
  const { recorder, signal, log } = run;
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const concurrency = options.concurrency ?? ctx.env.TOKEN_REFRESH_CONCURRENCY;
  const breaker = new CircuitBreaker({ ...DEFAULT_CIRCUIT_BREAKER, ...options.circuitBreaker });
  const env: AccountRunEnv = {
    ctx,
    refresh: options.refresh,
    ebaySlot: createEbaySlots(concurrency, breaker, signal, (outcome) => {
      if (outcome.ok || outcome.code !== 'rate_limited') return;
      const until = rateLimitPauseUntil(outcome.retryAfterSeconds, ctx.now(), policy.retryAfterCapSeconds);
      if (until) breaker.pause(until);
    }),
    owner: run.owner,
    leaseSeconds: options.leaseSeconds ?? defaultLeaseSeconds(ctx),
    policy,
    breaker,
    recorder,
    signal,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? sleep,
  };
  try {
    await refreshClaimedAccounts(
      env,
      concurrency,
      options.batchSize ?? Math.max(concurrency, 10),
      run.maxClaims,
    );
  } finally {
    // After a database failure the run fails with that error; a pause it could not write is logged.
    await recordPause(ctx, recorder, breaker, log).catch((thrown) =>
      log.error({ err: coerceError(thrown) }, 'Recording the 429 pause failed'),
    );
  }
  return breaker;
}

/** A 429 paused the cycle: every replica's warm refreshes wait until its Retry-After (or an hour). */
async function recordPause(ctx: AppContext, recorder: CycleRecorder, breaker: CircuitBreaker, log: Logger) {
  const until = breaker.pausedUntil;
  if (!until) return;
  await recordRefreshPause(ctx.db, until, "eBay's token endpoint answered 429", ctx.now());
  if (recorder.plan) recorder.plan = { ...recorder.plan, paused_until: until.toISOString() };
  log.warn(
    { pausedUntil: until.toISOString() },
    `eBay's token endpoint answered 429: warm refreshes paused until ${until.toISOString()}`,
  );
}

async function refreshClaimedAccounts(
  env: AccountRunEnv,
  concurrency: number,
  batchSize: number,
  maxClaims: number,
) {
  const { ctx, recorder } = env;
  const source = new ClaimSource(
    ctx.db,
    env.owner,
    () => ({
      now: ctx.now(),
      ...warmDueRule(ctx.env),
      leaseSeconds: env.leaseSeconds,
      limit: batchSize,
      notRefreshedSince: recorder.startedAt,
      warmOnly: true,
    }),
    (account) => recorder.addDue(account.orgId),
    maxClaims,
  );
  const stopped = () => env.signal.aborted || env.breaker.stopped;
  const unstarted: ClaimedAccount[] = [];
  const runner = async () => {
    while (!stopped()) {
      const account = await source.next();
      if (!account) return;
      if (stopped()) {
        unstarted.push(account);
        return;
      }
      try {
        const outcome = await processAccount(env, account);
        if (outcome.kind === 'unstarted') unstarted.push(account);
        else recorder.addOutcome(account.orgId, outcome);
      } catch (thrown) {
        // The database went away under this account; the next claim will fail the cycle.
        ctx.logger.error(
          { err: coerceError(thrown), accountId: account.accountId },
          'Token refresh bookkeeping failed',
        );
        recorder.addOutcome(account.orgId, { kind: 'failed', code: 'internal_error' });
      }
    }
  };
  const runners = concurrency * REFRESHES_PER_EBAY_SLOT;
  // Every runner may be sleeping out a retry delay on the cycle's signal at once.
  setMaxListeners(runners + 10, env.signal);
  const results = await Promise.allSettled(Array.from({ length: runners }, runner));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) {
    await source.releaseUnstarted(unstarted).catch(() => {});
    throw coerceError(failure.reason);
  }
  const left = await source.releaseUnstarted(unstarted);
  const reason = env.breaker.isOpen ? 'circuit_open' : env.breaker.pausedUntil ? 'paused' : 'shutdown';
  for (const account of left) recorder.addOutcome(account.orgId, { kind: 'skipped', reason });
}

/**
 * Renewed before each attempt once half of it is gone, so an attempt starts with at least half
 * left: enough for a wait for an eBay slot (at most one HTTP timeout: every slot frees within
 * one) plus the call itself (another), with a margin.
 */
function defaultLeaseSeconds(ctx: AppContext): number {
  return Math.max(60, Math.ceil((4 * ctx.ebay.timeoutMs) / 1000) + 15);
}
