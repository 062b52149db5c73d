import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { countDueAccounts } from '../tokens/sql/counts.ts';
import { warmDueRule } from '../tokens/sql/dueSchedule.ts';
import { CycleRecorder } from './cycleSummary.ts';
import { planRefreshes, warmAllowance } from './planState.ts';
import { circuitMessage, type RefreshCycleOptions } from './refreshCycle.ts';
import { refreshWarmAccounts } from './warmRefresh.ts';

/**
 * A claim pass (issue 12, "closer to the floor"): between two cycles, every
 * TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS, the worker refreshes the warm tokens that expire within
 * TOKEN_REFRESH_CLAIM_MARGIN_SECONDS (+ 0–30 s jitter), with the cycle's claim (leases, `FOR
 * UPDATE SKIP LOCKED`: safe with replicas), refresh core, 429 pause, warm budget and circuit
 * breaker. It writes no log entry and no heartbeat of its own: the next cycle's
 * `token_refresh_cycle` entry counts what the passes since the previous cycle did
 * (`claim_passes`, and in due/refreshed/failed). A pass with nothing due costs one index count.
 */

/** The claim passes since the previous cycle, for that cycle's entry. */
export interface ClaimPassTally {
  passes: number;
  totals: CycleRecorder;
}

export function emptyClaimPassTally(): ClaimPassTally {
  return { passes: 0, totals: new CycleRecorder('claim-passes', '', new Date(0)) };
}

export interface ClaimPassResult {
  /** What the pass did; null when it found nothing to do (nothing due, paused, budget used). */
  recorder: CycleRecorder | null;
  circuitOpen: boolean;
}

export async function runClaimPass(
  ctx: AppContext,
  options: RefreshCycleOptions,
  signal: AbortSignal = new AbortController().signal,
): Promise<ClaimPassResult> {
  const nothing = { recorder: null, circuitOpen: false };
  const now = ctx.now();
  const due = await countDueAccounts(ctx.db, { now, ...warmDueRule(ctx.env), warmOnly: true });
  if (due === 0 || signal.aborted) return nothing;
  // The cycle logs the pause and the used-up budget; a pass just leaves the accounts alone.
  const plan = await planRefreshes(ctx, now, { apply: false });
  if (plan.status.paused_until || plan.warmCallsLeft <= 0) return nothing;
  const allowance = await warmAllowance(ctx, plan, now);
  if (allowance.claims <= 0) return nothing;
  const passId = randomUUID();
  const recorder = new CycleRecorder(passId, ctx.instanceId, now);
  const log = ctx.logger.child({ worker: 'token_refresh_worker', claimPass: passId });
  const breaker = await refreshWarmAccounts(ctx, options, {
    recorder,
    signal,
    log,
    owner: `${ctx.instanceId}:claim-${passId.slice(0, 8)}`,
    maxClaims: allowance.claims,
  });
  if (breaker.isOpen) {
    log.error(
      { reason: breaker.reason },
      `Claim pass circuit open: ${circuitMessage(breaker)} Claim passes wait for the next cycle.`,
    );
  }
  log.debug(`Claim pass: ${recorder.refreshed}/${recorder.due} accounts refreshed`);
  return { recorder, circuitOpen: breaker.isOpen };
}
