import { sha256Hex } from './tokenMaterial.ts';

/**
 * What the sim has been asked to do. Tests and benchmarks read these to prove the
 * app's behaviour from eBay's side: quota use, and that no two replicas ever refreshed
 * the same token at the same time.
 */

export type SimCounters = {
  tokenCalls: number;
  refreshCalls: number;
  codeExchanges: number;
  identityCalls: number;
  /** Client-credentials grants (application access tokens). */
  appTokenCalls: number;
  /** Notification API public_key calls. */
  publicKeyCalls: number;
  /** Sell API calls (orders, inventory items), whatever their answer. */
  sellCalls: number;
  /** Sell API calls answered 401 (expired, revoked or unknown access token). */
  sellUnauthorized: number;
  /** Keyed by sha256 hex of the refresh token as received, so secrets never leave the sim. */
  refreshCallsByToken: Record<string, number>;
  maxConcurrentRefreshesOfOneToken: number;
  inFlightRefreshes: number;
  /** The most refresh calls in flight at once, of any tokens (the caller's concurrency). */
  maxInFlightRefreshes: number;
};

export class CounterBook {
  private counts = emptyCounters();
  private readonly inFlightByToken = new Map<string, number>();

  snapshot(): SimCounters {
    return { ...this.counts, refreshCallsByToken: { ...this.counts.refreshCallsByToken } };
  }

  reset(): void {
    // Requests still in flight keep being tracked so their end does not go negative.
    const inFlight = this.counts.inFlightRefreshes;
    this.counts = { ...emptyCounters(), inFlightRefreshes: inFlight };
  }

  countTokenCall(grantType: string | null): void {
    this.counts.tokenCalls += 1;
    if (grantType === 'authorization_code') this.counts.codeExchanges += 1;
    if (grantType === 'client_credentials') this.counts.appTokenCalls += 1;
  }

  countPublicKeyCall(): void {
    this.counts.publicKeyCalls += 1;
  }

  countSellCall(status: number): void {
    this.counts.sellCalls += 1;
    if (status === 401) this.counts.sellUnauthorized += 1;
  }

  countIdentityCall(): void {
    this.counts.identityCalls += 1;
  }

  /** Marks a refresh as started; call the returned function exactly once when its response ends. */
  beginRefresh(refreshToken: string): () => void {
    const key = sha256Hex(refreshToken);
    const c = this.counts;
    c.refreshCalls += 1;
    c.refreshCallsByToken[key] = (c.refreshCallsByToken[key] ?? 0) + 1;
    c.inFlightRefreshes += 1;
    c.maxInFlightRefreshes = Math.max(c.maxInFlightRefreshes, c.inFlightRefreshes);
    const concurrent = (this.inFlightByToken.get(key) ?? 0) + 1;
    this.inFlightByToken.set(key, concurrent);
    c.maxConcurrentRefreshesOfOneToken = Math.max(c.maxConcurrentRefreshesOfOneToken, concurrent);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.counts.inFlightRefreshes = Math.max(0, this.counts.inFlightRefreshes - 1);
      const left = (this.inFlightByToken.get(key) ?? 1) - 1;
      if (left > 0) this.inFlightByToken.set(key, left);
      else this.inFlightByToken.delete(key);
    };
  }
}

function emptyCounters(): SimCounters {
  return {
    tokenCalls: 0,
    refreshCalls: 0,
    codeExchanges: 0,
    identityCalls: 0,
    appTokenCalls: 0,
    publicKeyCalls: 0,
    sellCalls: 0,
    sellUnauthorized: 0,
    refreshCallsByToken: {},
    maxConcurrentRefreshesOfOneToken: 0,
    inFlightRefreshes: 0,
    maxInFlightRefreshes: 0,
  };
}
