import type { RefreshErrorCode } from '@ebay-connector/contracts';
import type { AttemptResult, RefreshOutcome } from '../tokens/refresh/refreshOutcome.ts';
import {
  DEFAULT_RETRY_POLICY,
  judgeAttempt,
  retryDelayMs,
  terminalBackoffSeconds,
  transientBackoffSeconds,
} from './retryPolicy.ts';

const policy = DEFAULT_RETRY_POLICY;
const subject = { accountId: 'a', orgId: 'o', environment: 'production' } as const;
const attempted = (result: AttemptResult): RefreshOutcome => ({
  ...subject,
  kind: 'attempted',
  result,
  exchange: null,
  durationMs: 1,
});
const fail = (code: RefreshErrorCode, transient: boolean, extra = {}) =>
  attempted({ ok: false, code, transient, message: `failed: ${code}`, ...extra });

describe('judgeAttempt', () => {
  it('classifies successes, lost leases, terminal and transient failures', () => {
    const ok = attempted({ ok: true, accessExpiresAt: new Date() });
    expect(judgeAttempt(ok)).toEqual({ kind: 'refreshed' });
    expect(judgeAttempt(fail('lease_lost', true))).toEqual({ kind: 'skipped', reason: 'lease_lost' });
    expect(judgeAttempt({ ...subject, kind: 'busy' })).toEqual({ kind: 'skipped', reason: 'busy' });
    for (const code of [
      'invalid_grant',
      'invalid_client',
      'decrypt_failed',
      'refresh_token_expired',
      'missing_scopes',
    ] as const) {
      expect(judgeAttempt(fail(code, false))).toEqual({ kind: 'terminal', code, message: `failed: ${code}` });
    }
    expect(judgeAttempt(fail('rate_limited', true, { retryAfterSeconds: 7 }))).toEqual({
      kind: 'transient',
      code: 'rate_limited',
      retryAfterSeconds: 7,
      message: 'failed: rate_limited',
    });
    expect(judgeAttempt(fail('timeout', true))).toMatchObject({ kind: 'transient', retryAfterSeconds: null });
  });

  it('retries unknown and internal errors rather than parking the account', () => {
    expect(judgeAttempt({ kind: 'threw', code: 'internal_error', message: 'boom' })).toEqual({
      kind: 'transient',
      code: 'internal_error',
      retryAfterSeconds: null,
      message: 'boom',
    });
    // A code the worker's lists do not know cannot be written (the union is closed), yet if one
    // came from outside it would still be retried, not parked.
    // @ts-expect-error: not a RefreshErrorCode
    expect(judgeAttempt(fail('something_new', false)).kind).toBe('transient');
  });
});

describe('retryDelayMs', () => {
  it('backs off exponentially with jitter between half and the whole step, capped', () => {
    expect(retryDelayMs(policy, 1, null, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, null, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 3, null, () => 1)).toBe(4000);
    const capped = { ...policy, maxAttempts: 20 };
    expect(retryDelayMs(capped, 10, null, () => 1)).toBe(15_000);
  });

  it('stops after maxAttempts', () => {
    expect(retryDelayMs(policy, policy.maxAttempts, null)).toBeNull();
    expect(retryDelayMs(policy, policy.maxAttempts - 1, null)).not.toBeNull();
  });

  it('honours Retry-After, and reschedules instead when it exceeds the in-cycle cap', () => {
    expect(retryDelayMs(policy, 1, 7, () => 0)).toBe(7000);
    expect(retryDelayMs(policy, 1, 0, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, policy.retryAfterCapSeconds + 1)).toBeNull();
  });
});

describe('transientBackoffSeconds', () => {
  it('doubles per failed cycle up to the cap, with ±20 % jitter', () => {
    const mid = () => 0.5;
    expect(transientBackoffSeconds(policy, 1, null, mid)).toBe(300);
    expect(transientBackoffSeconds(policy, policy.maxAttempts, null, mid)).toBe(300);
    expect(transientBackoffSeconds(policy, policy.maxAttempts + 1, null, mid)).toBe(600);
    expect(transientBackoffSeconds(policy, policy.maxAttempts * 50, null, mid)).toBe(3600);
    expect(transientBackoffSeconds(policy, 1, null, () => 0)).toBe(240);
    expect(transientBackoffSeconds(policy, 1, null, () => 1)).toBe(360);
  });

  it('never comes back before a long Retry-After', () => {
    expect(transientBackoffSeconds(policy, 1, 7200, () => 0.5)).toBe(7200);
  });
});

describe('terminalBackoffSeconds', () => {
  it('parks terminal failures for hours, app-credential failures for at most one', () => {
    expect(terminalBackoffSeconds(policy, 'invalid_grant')).toBe(6 * 3600);
    expect(terminalBackoffSeconds(policy, 'decrypt_failed')).toBe(6 * 3600);
    expect(terminalBackoffSeconds(policy, 'invalid_client')).toBe(3600);
  });
});
