import type { AppContext } from '../context.ts';
import type { RefreshTarget } from '../tokens/refreshRecord.ts';
import type { CircuitBreaker } from './circuitBreaker.ts';
import type { ClaimedAccount } from './claimDue.ts';
import type { AccountOutcome, CycleRecorder } from './cycleSummary.ts';
import { releaseWithNextAttempt, renewLease } from './leases.ts';
import {
  type AttemptOutcome,
  judgeAttempt,
  type RetryPolicy,
  retryDelayMs,
  terminalBackoffSeconds,
  transientBackoffSeconds,
} from './retryPolicy.ts';
import { coerceError, describeError } from './sleep.ts';

/**
 * What the worker needs from the refresh core (`tokens/refreshAccount.ts`): one attempt under the
 * worker's lease, classified. A success releases the lease in the same commit as the new token.
 */
export type RefreshFn = (
  ctx: AppContext,
  accountId: string,
  opts: { source: 'scheduled'; leaseOwner: string; target?: RefreshTarget },
) => Promise<AttemptOutcome & { errorMessage: string | null }>;

export interface AccountRunEnv {
  ctx: AppContext;
  refresh: RefreshFn;
  owner: string;
  leaseSeconds: number;
  policy: RetryPolicy;
  breaker: CircuitBreaker;
  recorder: CycleRecorder;
  signal: AbortSignal;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Refreshes one claimed account: attempts with in-cycle retries for transient failures, then
 * releases the lease and schedules the next attempt. The lease is renewed (owner-checked)
 * before every attempt whose lease may have run low, so an attempt never starts on a lease
 * another instance could already have taken over.
 */
export async function processAccount(env: AccountRunEnv, account: ClaimedAccount): Promise<AccountOutcome> {
  const { ctx, policy } = env;
  let leaseUntil = account.leaseUntil;
  for (let attempt = 1; ; attempt++) {
    const now = ctx.now();
    if (leaseUntil.getTime() - now.getTime() < (env.leaseSeconds * 1000) / 2) {
      leaseUntil = new Date(now.getTime() + env.leaseSeconds * 1000);
      if (!(await renewLease(ctx.db, account.accountId, env.owner, leaseUntil))) {
        return { kind: 'skipped', reason: 'lease_lost' };
      }
    }
    env.recorder.addAttempt(attempt > 1);
    // The first attempt uses the row as claimed; a retry reads it again.
    const result = await attemptRefresh(env, account, attempt === 1 ? account.target : undefined);
    env.breaker.record(result.success ? null : (result.errorCode ?? 'unknown_error'));
    const verdict = judgeAttempt(result);
    // The refresh core released the lease (and cleared next_attempt_at) in its commit.
    if (verdict.kind === 'refreshed') return { kind: 'refreshed' };
    if (verdict.kind === 'skipped') return { kind: 'skipped', reason: verdict.code };
    if (verdict.kind === 'terminal') {
      const retryAt = secondsFromNow(ctx, terminalBackoffSeconds(policy, verdict.code));
      await releaseWithNextAttempt(ctx.db, account.accountId, env.owner, retryAt);
      logFailure(env, account, verdict.code, result.errorMessage, attempt, retryAt);
      return { kind: 'failed', code: verdict.code };
    }
    const delay = retryDelayMs(policy, attempt, verdict.retryAfterSeconds, env.random);
    if (delay !== null && !env.breaker.isOpen && !env.signal.aborted) {
      await env.sleep(delay, env.signal);
      if (!env.signal.aborted && !env.breaker.isOpen) continue;
    }
    const backoff = transientBackoffSeconds(
      policy,
      account.consecutiveFailures + attempt,
      verdict.retryAfterSeconds,
      env.random,
    );
    const retryAt = secondsFromNow(ctx, backoff);
    await releaseWithNextAttempt(ctx.db, account.accountId, env.owner, retryAt);
    logFailure(env, account, verdict.code, result.errorMessage, attempt, retryAt);
    return { kind: 'failed', code: verdict.code };
  }
}

async function attemptRefresh(
  env: AccountRunEnv,
  account: ClaimedAccount,
  target: RefreshTarget | undefined,
) {
  try {
    return await env.refresh(env.ctx, account.accountId, {
      source: 'scheduled',
      leaseOwner: env.owner,
      ...(target ? { target } : {}),
    });
  } catch (thrown) {
    // The refresh core returns expected failures; a throw is a bug or the database going away.
    const error = coerceError(thrown);
    env.ctx.logger.error({ err: error, accountId: account.accountId }, 'Token refresh threw');
    return {
      success: false,
      errorCode: 'internal_error',
      errorMessage: describeError(error),
      transient: true,
    } satisfies AttemptOutcome & { errorMessage: string };
  }
}

function secondsFromNow(ctx: AppContext, seconds: number): Date {
  return new Date(ctx.now().getTime() + seconds * 1000);
}

function logFailure(
  env: AccountRunEnv,
  account: ClaimedAccount,
  code: string,
  message: string | null,
  attempts: number,
  retryAt: Date,
): void {
  env.ctx.logger.warn(
    {
      accountId: account.accountId,
      orgId: account.orgId,
      environment: account.environment,
      errorCode: code,
      attempts,
      nextAttemptAt: retryAt.toISOString(),
    },
    `Token refresh failed for ${account.houseName} (${account.accountId}): ${code}${message ? ` — ${message}` : ''}; next attempt ${retryAt.toISOString()}`,
  );
}
