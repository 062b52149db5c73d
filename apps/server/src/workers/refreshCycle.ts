import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppContext } from '../context.ts';
import { warmPool } from '../db/client.ts';
import { coerceError } from '../lib/errors.ts';
import { writeConnectLog } from '../logs/connectLog.ts';
import { measureAppTokenQuota } from '../tokens/appToken/appToken.ts';
import { countActiveAccounts, countDueAccounts } from '../tokens/sql/counts.ts';
import { warmDueRule } from '../tokens/sql/dueSchedule.ts';
import { markRefreshTokensExpired } from '../tokens/sql/markExpired.ts';
import { countWarmSetByOrg } from '../tokens/sql/refreshPlan.ts';
import { CircuitBreaker, type CircuitBreakerOptions, DEFAULT_CIRCUIT_BREAKER } from './circuitBreaker.ts';
import type { ClaimPassTally } from './claimPass.ts';
import { CycleRecorder, type TokenRefreshCycleSummary } from './cycleSummary.ts';
import { REFRESHES_PER_EBAY_SLOT } from './ebaySlots.ts';
import { planRefreshes, warmAllowance } from './planState.ts';
import type { RefreshFn } from './processAccount.ts';
import { measureQuota } from './quota.ts';
import { applyRetention } from './retention.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, terminalBackoffSeconds } from './retryPolicy.ts';
import { refreshWarmAccounts } from './warmRefresh.ts';

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
 * connect-log entry, counting in the claim passes since the previous cycle (`claimPasses`,
 * claimPass.ts). An abort stops claiming, retrying and calling eBay; calls already at eBay
 * finish and are recorded.
 */
export async function runRefreshCycle(
  ctx: AppContext,
  options: RefreshCycleOptions,
  signal: AbortSignal = new AbortController().signal,
  claimPasses?: ClaimPassTally,
): Promise<TokenRefreshCycleSummary> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const cycleId = randomUUID();
  const recorder = new CycleRecorder(cycleId, ctx.instanceId, ctx.now());
  const log = ctx.logger.child({ worker: 'token_refresh_worker', cycleId });
  log.info('Starting token refresh worker…');
  recorder.checked = await countActiveAccounts(ctx.db);
  const expired = await markExpiredRefreshTokens(ctx, recorder, policy, log);
  const cyclePlan = await planRefreshes(ctx, ctx.now(), { apply: true });
  const plan = cyclePlan.status;
  recorder.plan = plan;
  recorder.planByOrg = await countWarmSetByOrg(ctx.db);
  const dueNow = await countDueAccounts(ctx.db, { now: ctx.now(), ...warmDueRule(ctx.env), warmOnly: true });
  // The pool has closed its idle connections since the last cycle (600 s apart, idle timeout
  // 10 s): open what the refreshes will hold while the cycle reads its allowance, not one by one
  // under the first claims (2 per eBay slot, plus the claim and one spare). Not when nothing is
  // due: with claim passes most cycles find little.
  const concurrency = options.concurrency ?? ctx.env.TOKEN_REFRESH_CONCURRENCY;
  const poolWarmed =
    dueNow > 0 ? warmPool(ctx.db, Math.min(dueNow, concurrency * REFRESHES_PER_EBAY_SLOT) + 2) : null;
  if (dueNow === 0 && expired === 0) log.info('No accounts need token refresh');
  else log.info(`Found ${dueNow + expired} accounts needing token refresh`);
  const budgetLeft = cyclePlan.warmCallsLeft;
  if (dueNow > 0 && plan.paused_until) {
    log.warn(
      { pausedUntil: plan.paused_until },
      `Warm refreshes paused until ${plan.paused_until}: eBay's token endpoint answered 429`,
    );
  } else if (dueNow > 0 && budgetLeft <= 0) {
    log.warn(
      { plan: { ...plan } },
      `Warm refreshes stopped: the warm budget of ${plan.budget} is used (${plan.used_24h.refresh_token} refresh calls in the last 24 h); the reserve is kept for on-demand refreshes`,
    );
  }

  let breaker = new CircuitBreaker({ ...DEFAULT_CIRCUIT_BREAKER, ...options.circuitBreaker });
  if (dueNow > 0 && !signal.aborted && !plan.paused_until && budgetLeft > 0) {
    const allowance = await warmAllowance(ctx, cyclePlan, ctx.now());
    if (allowance.expiredWarm > 0) {
      log.info(
        { catchUp: allowance },
        `Catching up: ${allowance.expiredWarm} warm tokens have expired; refreshing at most ${Math.max(0, allowance.claims)} now (hourly share of the warm budget ${allowance.hourlyShare}; ${allowance.callsLastHour} calls in the last hour, ${allowance.unscheduledLastHour} of them on demand or manual)`,
      );
    }
    if (allowance.claims > 0) {
      await poolWarmed;
      breaker = await refreshWarmAccounts(ctx, options, {
        recorder,
        signal,
        log,
        owner: `${ctx.instanceId}:${cycleId.slice(0, 8)}`,
        maxClaims: allowance.claims,
      });
    }
  }
  recorder.circuitReason = breaker.reason;
  recorder.aborted = signal.aborted;
  // The claim passes since the previous cycle are reported in this cycle's entry.
  if (claimPasses) recorder.absorbClaimPasses(claimPasses);
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
    `Token refresh worker completed: ${summary.refreshed}/${summary.due} accounts refreshed${
      summary.claim_passes.passes > 0
        ? ` (${summary.claim_passes.refreshed} of them by ${summary.claim_passes.passes} claim passes)`
        : ''
    }`,
  );
  return summary;
}

export function circuitMessage(breaker: CircuitBreaker): string {
  return breaker.reason === 'invalid_client'
    ? 'eBay rejected the application credentials (invalid_client); the cycle stopped. Check EBAY_CLIENT_ID/EBAY_CLIENT_SECRET.'
    : 'most refresh calls failed with eBay unavailable (5xx, 429, network errors or timeouts); the cycle stopped and released its remaining accounts.';
}
