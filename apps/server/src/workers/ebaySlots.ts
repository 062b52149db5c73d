import pLimit from 'p-limit';
import type { TokenOutcome } from '../ebay/oauthClient.ts';
import type { EbaySlot } from '../tokens/refresh/refreshOutcome.ts';
import type { CircuitBreaker } from './circuitBreaker.ts';

/**
 * The cycle's eBay call slots. TOKEN_REFRESH_CONCURRENCY bounds the calls to eBay in flight,
 * not the refreshes: a refresh holds a slot only while it waits on eBay, and the cycle runs
 * REFRESHES_PER_EBAY_SLOT refreshes per slot, so one decrypts and writes its result while
 * another is at eBay (docs/PERFORMANCE.md, benchmark 1).
 */
export const REFRESHES_PER_EBAY_SLOT = 2;

/** Thrown by a slot instead of calling eBay when the cycle stopped (abort or open circuit) while a refresh waited for it. */
export class CycleStopped extends Error {}

/**
 * Slots for one cycle. The breaker hears each call's outcome before its slot takes the next
 * call, and a refresh that waited while the cycle stopped makes no call.
 */
export function createEbaySlots(
  concurrency: number,
  breaker: CircuitBreaker,
  signal: AbortSignal,
  /** Hears each call's outcome first (the 429 pause: refreshCycle.ts). */
  onOutcome?: (outcome: TokenOutcome) => void,
): EbaySlot {
  const limit = pLimit(concurrency);
  return (call) =>
    limit(async () => {
      if (signal.aborted || breaker.stopped) {
        throw new CycleStopped('the cycle stopped before this call to eBay');
      }
      const sent = await call();
      onOutcome?.(sent.outcome);
      breaker.record(sent.outcome.ok ? null : sent.outcome.code);
      return sent;
    });
}
