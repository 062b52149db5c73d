import type { AppContext } from '../context.ts';
import { type LoopHandle, startLoop } from '../lib/loop.ts';
import { refreshAccount } from '../tokens/refresh/refreshAccount.ts';
import type { TokenRefreshCycleSummary } from './cycleSummary.ts';
import { type RefreshCycleOptions, runRefreshCycle } from './refreshCycle.ts';

/**
 * The token refresh worker (`token_refresh_worker`): every TOKEN_REFRESH_INTERVAL_SECONDS it
 * refreshes the access tokens that expire within TOKEN_REFRESH_THRESHOLD_SECONDS (+ per-account
 * jitter), safely alongside any number of other instances. See docs/OPERATIONS.md.
 */

export const TOKEN_REFRESH_WORKER = 'token_refresh_worker';

export type TokenRefreshWorkerOptions = Partial<RefreshCycleOptions> & {
  /** Defaults to TOKEN_REFRESH_INTERVAL_SECONDS. */
  intervalSeconds?: number;
  heartbeatRetries?: number;
  heartbeatRetryDelayMs?: number;
  /** How often a sleeping replica looks for "Run cycle now" (default 1 s). */
  runRequestPollMs?: number;
};

export interface TokenRefreshWorker {
  runCycle(ctx: AppContext, signal?: AbortSignal): Promise<TokenRefreshCycleSummary>;
  start(ctx: AppContext, opts: { signal: AbortSignal }): LoopHandle;
}

/** The worker with its dependencies injectable (tests pass a fake refresh and short delays). */
export function createTokenRefreshWorker(options: TokenRefreshWorkerOptions = {}): TokenRefreshWorker {
  const cycleOptions: RefreshCycleOptions = { ...options, refresh: options.refresh ?? refreshAccount };
  const runCycle = (ctx: AppContext, signal?: AbortSignal) => runRefreshCycle(ctx, cycleOptions, signal);
  return {
    runCycle,
    start(ctx, { signal }) {
      return startLoop({
        name: TOKEN_REFRESH_WORKER,
        intervalSeconds: options.intervalSeconds ?? ctx.env.TOKEN_REFRESH_INTERVAL_SECONDS,
        db: ctx.db,
        instanceId: ctx.instanceId,
        logger: ctx.logger,
        now: ctx.now,
        signal,
        runCycle: (cycleSignal) => runCycle(ctx, cycleSignal),
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
