import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { AppContext } from '../context.ts';
import { coerceError } from '../lib/errors.ts';
import { sleep } from '../lib/sleep.ts';
import { writeConnectLog } from '../logs/connectLog.ts';
import { measureAppTokenQuota } from '../tokens/appToken/appToken.ts';
import type { ClaimedAccount } from '../tokens/sql/claimDue.ts';
import { countActiveAccounts, countDueAccounts } from '../tokens/sql/counts.ts';
import { markRefreshTokensExpired } from '../tokens/sql/markExpired.ts';
import { rateLimitPauseUntil, recordRefreshPause } from '../tokens/sql/refreshPause.ts';
import { countWarmSetByOrg } from '../tokens/sql/refreshPlan.ts';
import { CircuitBreaker, type CircuitBreakerOptions, DEFAULT_CIRCUIT_BREAKER } from './circuitBreaker.ts';
import { ClaimSource } from './claimSource.ts';
import { CycleRecorder, type TokenRefreshCycleSummary } from './cycleSummary.ts';
import { createEbaySlots, REFRESHES_PER_EBAY_SLOT } from './ebaySlots.ts';
import { planRefreshes } from './planState.ts';
import { type AccountRunEnv, processAccount, type RefreshFn } from './processAccount.ts';
import { measureQuota } from './quota.ts';
import { applyRetention } from './retention.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, terminalBackoffSeconds } from './retryPolicy.ts';

/** Everything a token refresh cycle can be tuned with; tests shrink the delays. */
export interface RefreshCycleOptions {
  refresh: RefreshFn;
  retry?: Partial<RetryPolicy>;
  circuitBreaker?: Partial<CircuitBreakerOptions>;
  /** Lease length; defaults to max(60 s, 4 × the eBay HTTP timeout + 15 s). */
  leaseSeconds?: number;
  /** Accounts claimed per claim statement; defaults to max(concurrency, 10). */
  batchSize?: number;
  /** Defaults to TOKEN_REFRESH_CONCURRENCY. */
  concurrency?: number;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Runs once the cycle's log entry is written (the role entries pass the alert detection). It
   * should not block on slow work; a throw is logged and does not fail the cycle.
   */
  onCycleRecorded?: (summary: TokenRefreshCycleSummary) => Promise<unknown>;
}

const EXPIRED_BATCH = 1_000;

/**
 * One token refresh cycle: mark accounts whose refresh token expired, plan the warm set within
 * the daily quota (planState.ts; a pause after a 429, or a used-up warm budget, stops warm
 * refreshes), claim due warm accounts in batches and refresh them at bounded concurrency (with
 * in-cycle retries, a circuit breaker and the 429 pause), apply retention (old logs, expired sessions), measure quota use, and record the cycle as one `token_refresh_cycle`
 * connect-log entry. An abort stops claiming, retrying and calling eBay; calls already at eBay
 * finish and are recorded.
 */
export async function runRefreshCycle(
  ctx: AppContext,
  options: RefreshCycleOptions,
  signal: AbortSignal = new AbortController().signal,
): Promise<TokenRefreshCycleSummary> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const concurrency = options.concurrency ?? ctx.env.TOKEN_REFRESH_CONCURRENCY;
  const cycleId = randomUUID();
  const recorder = new CycleRecorder(cycleId, ctx.instanceId, ctx.now());
  const log = ctx.logger.child({ worker: 'token_refresh_worker', cycleId });
  const breaker = new CircuitBreaker({ ...DEFAULT_CIRCUIT_BREAKER, ...options.circuitBreaker });
  log.info('Starting token refresh worker…');

  recorder.checked = await countActiveAccounts(ctx.db);
  const expired = await markExpiredRefreshTokens(ctx, recorder, policy, log);
  const plan = await planRefreshes(ctx, ctx.now(), { apply: true });
  recorder.plan = plan;
  recorder.planByOrg = await countWarmSetByOrg(ctx.db);
  const dueNow = await countDueAccounts(ctx.db, {
    now: ctx.now(),
    thresholdSeconds: ctx.env.TOKEN_REFRESH_THRESHOLD_SECONDS,
    warmOnly: true,
  });
  if (dueNow === 0 && expired === 0) log.info('No accounts need token refresh');
  else log.info(`Found ${dueNow + expired} accounts needing token refresh`);
  const budgetLeft = plan.budget - plan.used_24h.refresh_token;
  if (dueNow > 0 && plan.paused_until) {
    log.warn(
      { pausedUntil: plan.paused_until },
      `Warm refreshes paused until ${plan.paused_until}: eBay's token endpoint answered 429`,
    );
  } else if (dueNow > 0 && budgetLeft <= 0) {
    log.warn(
      { plan: { ...plan } },
      `Warm refreshes stopped: ${plan.used_24h.refresh_token} refresh calls in 24 h used the warm budget of ${plan.budget}; the reserve is kept for on-demand refreshes`,
    );
  }

  if (dueNow > 0 && !signal.aborted && !plan.paused_until && budgetLeft > 0) {
    const env: AccountRunEnv = {
      ctx,
      refresh: options.refresh,
      ebaySlot: createEbaySlots(concurrency, breaker, signal, (outcome) => {
        if (outcome.ok || outcome.code !== 'rate_limited') return;
        const until = rateLimitPauseUntil(outcome.retryAfterSeconds, ctx.now(), policy.retryAfterCapSeconds);
        if (until) breaker.pause(until);
      }),
      owner: `${ctx.instanceId}:${cycleId.slice(0, 8)}`,
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
        budgetLeft,
      );
    } finally {
      // After a database failure the cycle fails with that error; a pause it could not write is logged.
      await recordPause(ctx, recorder, breaker, log).catch((thrown) =>
        log.error({ err: coerceError(thrown) }, 'Recording the 429 pause failed'),
      );
    }
  }
  recorder.circuitReason = breaker.reason;
  recorder.aborted = signal.aborted;
  if (breaker.isOpen) log.error({ reason: breaker.reason }, `Circuit open: ${circuitMessage(breaker)}`);
  const summary = await recordCycle(ctx, recorder, breaker, log);
  try {
    await options.onCycleRecorded?.(summary);
  } catch (thrown) {
    log.error({ err: coerceError(thrown) }, 'Token refresh cycle hook failed');
  }
  return summary;
}

/** Expired refresh tokens: marked for reconnect, counted as due and failed. Returns how many. */
async function markExpiredRefreshTokens(
  ctx: AppContext,
  recorder: CycleRecorder,
  policy: RetryPolicy,
  log: Logger,
): Promise<number> {
  const retryAt = new Date(
    ctx.now().getTime() + terminalBackoffSeconds(policy, 'refresh_token_expired') * 1000,
  );
  const expired = await markRefreshTokensExpired(ctx.db, { now: ctx.now(), retryAt, limit: EXPIRED_BATCH });
  for (const account of expired) {
    recorder.addDue(account.orgId);
    recorder.addOutcome(account.orgId, { kind: 'failed', code: 'refresh_token_expired' });
  }
  if (expired.length > 0) {
    log.warn(
      { accounts: expired.map((a) => a.accountId) },
      `${expired.length} accounts need reconnecting: refresh token expired`,
    );
  }
  return expired.length;
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

/** Retention, quota, and the one `token_refresh_cycle` entry of this cycle. */
async function recordCycle(
  ctx: AppContext,
  recorder: CycleRecorder,
  breaker: CircuitBreaker,
  log: Logger,
): Promise<TokenRefreshCycleSummary> {
  if (!recorder.aborted) {
    const { sessions_deleted, ...logs } = await applyRetention(ctx.db, {
      now: ctx.now(),
      retentionDays: ctx.env.LOG_RETENTION_DAYS,
    });
    recorder.retention = logs;
    if (sessions_deleted > 0) log.info({ sessions_deleted }, `Deleted ${sessions_deleted} expired sessions`);
  }
  recorder.quota = await measureQuota(ctx.db, ctx.now());
  recorder.appTokenQuota = await measureAppTokenQuota(ctx, ctx.now());
  if (recorder.quota.warning) {
    log.warn(
      recorder.quota,
      `Refresh quota: projected ${recorder.quota.projected_daily} calls/day, over 80 % of ${recorder.quota.limit}`,
    );
  }
  const summary = recorder.finish(ctx.now());
  await writeConnectLog(ctx.db, {
    orgId: null,
    accountId: null,
    environment: null,
    action: 'token_refresh_cycle',
    source: 'scheduled',
    summary,
    durationMs: summary.duration_ms,
    error: breaker.isOpen ? { code: 'circuit_open', message: circuitMessage(breaker) } : null,
    createdAt: ctx.now(),
  });
  log.info(
    { summary: { ...summary, by_org: undefined, plan_by_org: undefined } },
    `Token refresh worker completed: ${summary.refreshed}/${summary.due} accounts refreshed`,
  );
  return summary;
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
      thresholdSeconds: ctx.env.TOKEN_REFRESH_THRESHOLD_SECONDS,
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

function circuitMessage(breaker: CircuitBreaker): string {
  return breaker.reason === 'invalid_client'
    ? 'eBay rejected the application credentials (invalid_client); the cycle stopped. Check EBAY_CLIENT_ID/EBAY_CLIENT_SECRET.'
    : 'most refresh calls failed with eBay unavailable (5xx, 429, network errors or timeouts); the cycle stopped and released its remaining accounts.';
}
