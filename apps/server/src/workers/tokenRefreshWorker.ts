import type { AppContext } from '../context.ts';
import { type LoopHandle, startLoop } from '../lib/loop.ts';
import { refreshAccount } from '../tokens/refresh/refreshAccount.ts';
import { claimPassesEnabled } from '../tokens/sql/dueSchedule.ts';
import { emptyClaimPassTally, runClaimPass } from './claimPass.ts';
import type { TokenRefreshCycleSummary } from './cycleSummary.ts';
import { type RefreshCycleOptions, runRefreshCycle } from './refreshCycle.ts';

/**
 * The token refresh worker (`token_refresh_worker`): a cycle every TOKEN_REFRESH_INTERVAL_SECONDS
 * (the unit of reporting and heartbeat) and, between cycles, a claim pass every
 * TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS (claimPass.ts); both refresh the warm access tokens that
 * come due by tokens/sql/dueSchedule.ts, safely alongside any number of other instances. See
 * docs/OPERATIONS.md.
 */

export const TOKEN_REFRESH_WORKER = 'token_refresh_worker';

export type TokenRefreshWorkerOptions = Partial<RefreshCycleOptions> & {
  /** Defaults to TOKEN_REFRESH_INTERVAL_SECONDS. */
  intervalSeconds?: number;
  /** Defaults to TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS; 0: no claim passes. */
  claimIntervalSeconds?: number;
  heartbeatRetries?: number;
  heartbeatRetryDelayMs?: number;
  /** How often a sleeping replica looks for "Run cycle now" (default 1 s). */
  runRequestPollMs?: number;
};

export interface TokenRefreshWorker {
  /** One cycle; its entry counts the claim passes run since the previous cycle. */
  runCycle(ctx: AppContext, signal?: AbortSignal): Promise<TokenRefreshCycleSummary>;
  /** One claim pass (the loop runs them between cycles; benchmarks and tests call it). */
  runClaimPass(ctx: AppContext, signal?: AbortSignal): Promise<void>;
  start(ctx: AppContext, opts: { signal: AbortSignal }): LoopHandle;
}

/** The worker with its dependencies injectable (tests pass a fake refresh and short delays). */
export function createTokenRefreshWorker(options: TokenRefreshWorkerOptions = {}): TokenRefreshWorker {
  const cycleOptions: RefreshCycleOptions = { ...options, refresh: options.refresh ?? refreshAccount };
  let tally = emptyClaimPassTally();
  // After a pass's circuit opened, passes wait for the next cycle (the cycle probes eBay, as before).
  let passesHeld = false;
  const runCycle = async (ctx: AppContext, signal?: AbortSignal) => {
    const taken = tally;
    tally = emptyClaimPassTally();
    passesHeld = false;
    try {
      return await runRefreshCycle(ctx, cycleOptions, signal, taken);
    } catch (thrown) {
      // A failed cycle writes no entry: its passes go to the next one.
      taken.passes += tally.passes;
      taken.totals.add(tally.totals);
      tally = taken;
      throw thrown;
    }
  };
  const runPass = async (ctx: AppContext, signal?: AbortSignal) => {
    if (passesHeld) return;
    const result = await runClaimPass(ctx, cycleOptions, signal);
    tally.passes += 1;
    if (result.recorder) tally.totals.add(result.recorder);
    if (result.circuitOpen) passesHeld = true;
  };
  return {
    runCycle,
    runClaimPass: runPass,
    start(ctx, { signal }) {
      // Claim passes off: the cycle claims by TOKEN_REFRESH_THRESHOLD_SECONDS (tokens/sql/dueSchedule.ts).
      const claimEvery = claimPassesEnabled(ctx.env)
        ? (options.claimIntervalSeconds ?? ctx.env.TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS)
        : 0;
      return startLoop({
        name: TOKEN_REFRESH_WORKER,
        intervalSeconds: options.intervalSeconds ?? ctx.env.TOKEN_REFRESH_INTERVAL_SECONDS,
        db: ctx.db,
        instanceId: ctx.instanceId,
        logger: ctx.logger,
        now: ctx.now,
        signal,
        runCycle: (cycleSignal) => runCycle(ctx, cycleSignal),
        ...(claimEvery > 0
          ? { betweenCycles: { intervalSeconds: claimEvery, run: (passSignal) => runPass(ctx, passSignal) } }
          : {}),
        ...(options.heartbeatRetries !== undefined ? { heartbeatRetries: options.heartbeatRetries } : {}),
        ...(options.heartbeatRetryDelayMs !== undefined
          ? { heartbeatRetryDelayMs: options.heartbeatRetryDelayMs }
          : {}),
        ...(options.runRequestPollMs !== undefined ? { runRequestPollMs: options.runRequestPollMs } : {}),
      });
    },
  };
}

/**
 * Runs the worker loop until `signal` aborts; `done` resolves once the running cycle has finished.
 * The role entries pass `onCycleRecorded` (the alert detection), so the worker knows no alerts.
 */
export function startTokenRefreshWorker(
  ctx: AppContext,
  opts: { signal: AbortSignal } & Pick<RefreshCycleOptions, 'onCycleRecorded'>,
): LoopHandle {
  const { signal, onCycleRecorded } = opts;
  return createTokenRefreshWorker(onCycleRecorded ? { onCycleRecorded } : {}).start(ctx, { signal });
}

/** One cycle, now (tests, benchmarks, the CLI). */
export function runTokenRefreshCycle(
  ctx: AppContext,
  signal?: AbortSignal,
): Promise<TokenRefreshCycleSummary> {
  return createTokenRefreshWorker().runCycle(ctx, signal);
}
