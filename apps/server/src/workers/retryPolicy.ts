import type { RefreshErrorCode } from '@ebay-connector/contracts';
import type { RefreshOutcome } from '../tokens/refresh/refreshOutcome.ts';

/**
 * How the token refresh worker reacts to each outcome of one refresh attempt.
 * Pure functions: the worker passes in the random source so tests can pin jitter.
 */

export interface RetryPolicy {
  /** Attempts per account per cycle, the first one included. */
  maxAttempts: number;
  /** First in-cycle retry waits about this long; each later one twice as long. */
  baseDelayMs: number;
  /** No in-cycle retry waits longer than this (exponential backoff cap). */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out in the cycle: the account is rescheduled instead. */
  retryAfterCapSeconds: number;
  /** After a cycle's retries are used up: first reschedule delay, doubled per failed cycle... */
  transientBackoffBaseSeconds: number;
  /** ...up to this. */
  transientBackoffMaxSeconds: number;
  /** Terminal failures (the seller or an admin must act) are tried again only this rarely. */
  terminalBackoffSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15_000,
  retryAfterCapSeconds: 60,
  transientBackoffBaseSeconds: 5 * 60,
  transientBackoffMaxSeconds: 60 * 60,
  terminalBackoffSeconds: 6 * 60 * 60,
};

/** Codes the worker records besides the refresh core's: the refresh threw (a bug, or the database went away). */
export type WorkerErrorCode = 'internal_error';

/** Every code an account's failure is counted under in a cycle. */
export type FailureCode = RefreshErrorCode | WorkerErrorCode;

/** Why a claimed account was left unfinished by this instance. */
export type SkipReason = 'busy' | 'lease_lost' | 'circuit_open' | 'shutdown' | 'paused';

/** eBay (or the way to it) is unwell: worth retrying, and counted by the circuit breaker. */
export const UNAVAILABLE_CODES: ReadonlySet<FailureCode> = new Set<FailureCode>([
  'ebay_unavailable',
  'network_error',
  'timeout',
  'rate_limited',
]);

/** Only the seller (reconnect) or an operator (credentials, keys, scopes) can fix these. */
export const TERMINAL_CODES: ReadonlySet<FailureCode> = new Set<FailureCode>([
  'invalid_grant',
  'invalid_client',
  'decrypt_failed',
  'refresh_token_expired',
  'invalid_scope',
  'missing_scopes',
  'invalid_request',
]);

/** What the worker got from one attempt: the refresh core's outcome, or its throw. */
export type WorkerAttempt = RefreshOutcome | { kind: 'threw'; code: WorkerErrorCode; message: string };

export type AttemptVerdict =
  /** Stored a new access token (or found one stored meanwhile). */
  | { kind: 'refreshed' }
  /** Someone else holds the account now (lease lost or taken over): leave it alone. */
  | { kind: 'skipped'; reason: Extract<SkipReason, 'busy' | 'lease_lost'> }
  /** Worth another attempt (maybe in this cycle). */
  | { kind: 'transient'; code: FailureCode; retryAfterSeconds: number | null; message: string }
  /** Retrying will not help until someone acts. */
  | { kind: 'terminal'; code: FailureCode; message: string };

export function judgeAttempt(attempt: WorkerAttempt): AttemptVerdict {
  if (attempt.kind === 'busy') return { kind: 'skipped', reason: 'busy' };
  // Only on-demand callers ask for `not_needed`; either way the stored token is good.
  if (attempt.kind === 'not_needed') return { kind: 'refreshed' };
  if (attempt.kind === 'threw') {
    return { kind: 'transient', code: attempt.code, retryAfterSeconds: null, message: attempt.message };
  }
  const { result } = attempt;
  if (result.ok) return { kind: 'refreshed' };
  if (result.code === 'lease_lost') return { kind: 'skipped', reason: 'lease_lost' };
  if (TERMINAL_CODES.has(result.code) && !result.transient) {
    return { kind: 'terminal', code: result.code, message: result.message };
  }
  // Everything else (unavailable, or a code this list does not know) is retried: rescheduling with backoff is the safe default.
  return {
    kind: 'transient',
    code: result.code,
    retryAfterSeconds: result.retryAfterSeconds ?? null,
    message: result.message,
  };
}

/**
 * Milliseconds to wait before in-cycle attempt `attempt + 1`, or null when the account should
 * instead be rescheduled (attempts used up, or eBay asked for a longer pause than we wait in a cycle).
 * Exponential backoff with "equal jitter": half the step fixed, half random.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterSeconds: number | null,
  random: () => number = Math.random,
): number | null {
  if (attempt >= policy.maxAttempts) return null;
  if (retryAfterSeconds !== null && retryAfterSeconds > policy.retryAfterCapSeconds) return null;
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const backoff = step / 2 + random() * (step / 2);
  const honoured = retryAfterSeconds === null ? 0 : retryAfterSeconds * 1000;
  return Math.round(Math.max(backoff, honoured));
}

/**
 * Seconds until the account's next scheduled attempt after a cycle ended in a transient failure.
 * Doubles per failed cycle (estimated from consecutive failed attempts), capped, ±20 % jitter so
 * accounts that failed together do not come back together. Honours a long Retry-After.
 */
export function transientBackoffSeconds(
  policy: RetryPolicy,
  consecutiveFailures: number,
  retryAfterSeconds: number | null,
  random: () => number = Math.random,
): number {
  const failedCycles = Math.max(1, Math.ceil(consecutiveFailures / policy.maxAttempts));
  const base = Math.min(
    policy.transientBackoffMaxSeconds,
    policy.transientBackoffBaseSeconds * 2 ** Math.min(failedCycles - 1, 20),
  );
  const jittered = base * (0.8 + random() * 0.4);
  return Math.round(Math.max(jittered, retryAfterSeconds ?? 0));
}

/** Seconds until a terminally failed account is tried again without anyone acting. */
export function terminalBackoffSeconds(policy: RetryPolicy, code: FailureCode): number {
  // Wrong app credentials are fixed by an operator for every account at once: come back sooner.
  if (code === 'invalid_client') return Math.min(policy.terminalBackoffSeconds, 60 * 60);
  return policy.terminalBackoffSeconds;
}
