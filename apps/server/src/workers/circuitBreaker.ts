import { type FailureCode, UNAVAILABLE_CODES } from './retryPolicy.ts';

/**
 * Stops a cycle that would only hammer an eBay that is down. Looks at the last `windowSize`
 * attempts of the cycle; once at least `minAttempts` were made and `failureRatio` of those in
 * the window failed as unavailable (5xx, 429, network, timeout), the circuit opens for the rest
 * of the cycle. The window is large enough that a healthy eBay with a few percent of faults
 * practically never trips it (at 30 % faults, 32 of 40 failing has odds of about 1e-10).
 * Wrong app credentials (`invalid_client`) fail every account the same way: they open it at once.
 */

export interface CircuitBreakerOptions {
  windowSize: number;
  minAttempts: number;
  failureRatio: number;
}

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = {
  windowSize: 40,
  minAttempts: 20,
  failureRatio: 0.8,
};

export type CircuitReason = 'ebay_unavailable' | 'invalid_client';

export class CircuitBreaker {
  private readonly window: boolean[] = [];
  private failuresInWindow = 0;
  private attempts = 0;
  private openReason: CircuitReason | null = null;
  private pauseUntil: Date | null = null;

  constructor(private readonly options: CircuitBreakerOptions = DEFAULT_CIRCUIT_BREAKER) {}

  get isOpen(): boolean {
    return this.openReason !== null;
  }

  get reason(): CircuitReason | null {
    return this.openReason;
  }

  /** eBay's token endpoint answered 429 with a long (or no) Retry-After: warm refreshes pause until then. */
  get pausedUntil(): Date | null {
    return this.pauseUntil;
  }

  /** The cycle stops calling eBay: circuit open, or refreshes paused. */
  get stopped(): boolean {
    return this.openReason !== null || this.pauseUntil !== null;
  }

  pause(until: Date): void {
    if (!this.pauseUntil || until > this.pauseUntil) this.pauseUntil = until;
  }

  /** Records one attempt's error code (null for a success). */
  record(errorCode: FailureCode | null): void {
    this.attempts += 1;
    if (errorCode === 'invalid_client') {
      this.openReason ??= 'invalid_client';
      return;
    }
    const failed = errorCode !== null && UNAVAILABLE_CODES.has(errorCode);
    this.window.push(failed);
    if (failed) this.failuresInWindow += 1;
    if (this.window.length > this.options.windowSize && this.window.shift()) this.failuresInWindow -= 1;
    const { minAttempts, failureRatio } = this.options;
    if (this.window.length >= minAttempts && this.failuresInWindow >= failureRatio * this.window.length) {
      this.openReason ??= 'ebay_unavailable';
    }
  }
}
