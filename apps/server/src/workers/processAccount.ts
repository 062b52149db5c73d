import { actionNeeded, PARKING_ERROR_CODES } from '@ebay-connector/contracts';
import type { AppContext } from '../context.ts';
import { coerceError, describeError } from '../lib/errors.ts';
import type { EbaySlot, RefreshOutcome } from '../tokens/refresh/refreshOutcome.ts';
import type { ClaimedAccount } from '../tokens/sql/claimDue.ts';
import { releaseWithNextAttempt, renewLease } from '../tokens/sql/leases.ts';
import type { RefreshTarget } from '../tokens/sql/refreshTarget.ts';
import type { CircuitBreaker } from './circuitBreaker.ts';
import type { AccountOutcome, CycleRecorder } from './cycleSummary.ts';
import { CycleStopped } from './ebaySlots.ts';
import {
  type FailureCode,
  judgeAttempt,
  type RetryPolicy,
  retryDelayMs,
  terminalBackoffSeconds,
  transientBackoffSeconds,
  type WorkerAttempt,
} from './retryPolicy.ts';

/**
 * What the worker needs from the refresh core (`tokens/refresh/refreshAccount.ts`): one attempt
 * under the worker's lease. A success releases the lease in the same commit as the new token.
 */
export type RefreshFn = (
  ctx: AppContext,
  accountId: string,
  opts: { source: 'scheduled'; leaseOwner: string; target?: RefreshTarget; ebaySlot?: EbaySlot },
) => Promise<RefreshOutcome>;

export interface AccountRunEnv {
  ctx: AppContext;
  refresh: RefreshFn;
  /** The cycle's eBay call slots (ebaySlots.ts): throws CycleStopped once the cycle stopped. */
  ebaySlot: EbaySlot;
  owner: string;
  leaseSeconds: number;
  policy: RetryPolicy;
  breaker: CircuitBreaker;
  recorder: CycleRecorder;
  signal: AbortSignal;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

type TransientFailure = { code: FailureCode; retryAfterSeconds: number | null; message: string };

/**
 * Refreshes one claimed account: attempts with in-cycle retries for transient failures, then
 * releases the lease and schedules the next attempt. The lease is renewed (owner-checked)
 * before every attempt whose lease may have run low, so an attempt never starts on a lease
 * another instance could already have taken over. `unstarted`: the cycle stopped before the
 * first call to eBay; the lease is still held, for the caller to release.
 */
export async function processAccount(
  env: AccountRunEnv,
  account: ClaimedAccount,
): Promise<AccountOutcome | { kind: 'unstarted' }> {
  const { ctx, policy } = env;
  let leaseUntil = account.leaseUntil;
  let lastTransient: TransientFailure | null = null;
  for (let attempt = 1; ; attempt++) {
    const now = ctx.now();
    if (leaseUntil.getTime() - now.getTime() < (env.leaseSeconds * 1000) / 2) {
      leaseUntil = new Date(now.getTime() + env.leaseSeconds * 1000);
      if (!(await renewLease(ctx.db, account.accountId, env.owner, leaseUntil))) {
        return { kind: 'skipped', reason: 'lease_lost' };
      }
    }
    // The first attempt uses the row as claimed; a retry reads it again.
    const result = await attemptRefresh(env, account, attempt === 1 ? account.target : undefined);
    if (result === 'stopped') {
      if (!lastTransient) return { kind: 'unstarted' };
      return giveUp(env, account, lastTransient, attempt - 1);
    }
    env.recorder.addAttempt(attempt > 1);
    const verdict = judgeAttempt(result);
    // The refresh core released the lease (and cleared next_attempt_at) in its commit.
    if (verdict.kind === 'refreshed') return { kind: 'refreshed' };
    if (verdict.kind === 'skipped') return { kind: 'skipped', reason: verdict.reason };
    if (verdict.kind === 'terminal') {
      const backoffSeconds = terminalBackoffSeconds(policy, verdict.code);
      const retryAt = secondsFromNow(ctx, backoffSeconds);
      await releaseWithNextAttempt(ctx.db, account.accountId, env.owner, retryAt);
      logFailure(env, account, verdict.code, verdict.message, attempt, retryAt, backoffSeconds);
      return { kind: 'failed', code: verdict.code };
    }
    const delay = retryDelayMs(policy, attempt, verdict.retryAfterSeconds, env.random);
    lastTransient = {
      code: verdict.code,
      retryAfterSeconds: verdict.retryAfterSeconds,
      message: verdict.message,
    };
    if (delay !== null && !env.breaker.stopped && !env.signal.aborted) {
      await env.sleep(delay, env.signal);
      if (!env.signal.aborted && !env.breaker.stopped) continue;
    }
    return giveUp(env, account, lastTransient, attempt);
  }
}

/** After transient failures: release the lease with a backoff, and say so. */
async function giveUp(
  env: AccountRunEnv,
  account: ClaimedAccount,
  failure: TransientFailure,
  attempts: number,
): Promise<AccountOutcome> {
  const backoff = transientBackoffSeconds(
    env.policy,
    account.consecutiveFailures + attempts,
    failure.retryAfterSeconds,
    env.random,
  );
  const retryAt = secondsFromNow(env.ctx, backoff);
  await releaseWithNextAttempt(env.ctx.db, account.accountId, env.owner, retryAt);
  logFailure(env, account, failure.code, failure.message, attempts, retryAt);
  return { kind: 'failed', code: failure.code };
}

async function attemptRefresh(
  env: AccountRunEnv,
  account: ClaimedAccount,
  target: RefreshTarget | undefined,
): Promise<WorkerAttempt | 'stopped'> {
  try {
    return await env.refresh(env.ctx, account.accountId, {
      source: 'scheduled',
      leaseOwner: env.owner,
      ebaySlot: env.ebaySlot,
      ...(target ? { target } : {}),
    });
  } catch (thrown) {
    if (thrown instanceof CycleStopped) return 'stopped';
    // The refresh core returns expected failures; a throw is a bug or the database going away.
    const error = coerceError(thrown);
    env.ctx.logger.error({ err: error, accountId: account.accountId }, 'Token refresh threw');
    return { kind: 'threw', code: 'internal_error', message: describeError(error) };
  }
}

function secondsFromNow(ctx: AppContext, seconds: number): Date {
  return new Date(ctx.now().getTime() + seconds * 1000);
}

/**
 * One line per failed account, ending in what happens next in the words of every other view
 * (contracts/causes.ts): a transient failure's next attempt; a terminal one's action needed and
 * either its next check or, once the account is parked as needs_reconnect, none.
 */
function logFailure(
  env: AccountRunEnv,
  account: ClaimedAccount,
  code: FailureCode,
  message: string,
  attempts: number,
  retryAt: Date,
  terminalBackoffSeconds?: number,
): void {
  const parked = terminalBackoffSeconds !== undefined && PARKING_ERROR_CODES.includes(code);
  const action = actionNeeded(code);
  const next =
    terminalBackoffSeconds === undefined
      ? `next attempt ${retryAt.toISOString()}`
      : parked
        ? 'not tried again until reconnected'
        : `next check in ${formatDelay(terminalBackoffSeconds)} (${retryAt.toISOString()})`;
  env.ctx.logger.warn(
    {
      accountId: account.accountId,
      orgId: account.orgId,
      environment: account.environment,
      errorCode: code,
      attempts,
      ...(parked ? {} : { nextAttemptAt: retryAt.toISOString() }),
    },
    `Token refresh failed for ${account.houseName} (${account.accountId}): ${code}${message ? ` — ${message}` : ''}${action ? `; ${action}` : ''}; ${next}`,
  );
}

function formatDelay(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${Math.round(seconds / 60)} min`;
}
