import type { RefreshErrorCode } from '@ebay-connector/contracts';

/**
 * The service API's breaker for on-demand refreshes (one per web process): after
 * `threshold` refreshes in a row failed because eBay is unavailable (5xx, 429, network,
 * timeout) or refused the app's credentials, no refresh is attempted for `openMs`; callers get
 * 503 `ebay_unavailable` with Retry-After at once instead of each waiting on a failing eBay.
 * The first refresh after that period is a trial: one more failure opens it again.
 */

const UNAVAILABLE: ReadonlySet<RefreshErrorCode> = new Set([
  'ebay_unavailable',
  'network_error',
  'timeout',
  'rate_limited',
  'invalid_client',
]);

export class OnDemandCircuit {
  private failuresInRow = 0;
  private openUntil = 0;

  constructor(
    private readonly threshold = 5,
    private readonly openMs = 30_000,
  ) {}

  /** Seconds until it closes again, or 0 when closed. */
  openFor(now: Date): number {
    const left = this.openUntil - now.getTime();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  record(code: RefreshErrorCode | null, now: Date): void {
    if (code === null || !UNAVAILABLE.has(code)) {
      // eBay answered: closed again.
      this.failuresInRow = 0;
      this.openUntil = 0;
      return;
    }
    this.failuresInRow += 1;
    if (this.failuresInRow >= this.threshold) {
      this.openUntil = now.getTime() + this.openMs;
      this.failuresInRow = this.threshold - 1;
    }
  }
}
