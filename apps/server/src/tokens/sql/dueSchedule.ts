import type { Env } from '../../config/env.ts';
import type { DueQuery } from './dueRule.ts';

/**
 * When the worker refreshes a warm token (issue 12, "closer to the floor"). With claim passes on
 * (TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS > 0, the default) a warm token is refreshed when it
 * expires within TOKEN_REFRESH_CLAIM_MARGIN_SECONDS plus a tenth of its jitter (0–30 s), by
 * whichever comes first, a claim pass or a cycle: about 165 s before expiry instead of about
 * 1,000 s, so 12.3 calls per warm account per day instead of 13.1. With claim passes off, the
 * cycle refreshes on TOKEN_REFRESH_THRESHOLD_SECONDS plus the full jitter, as before.
 * The worker only ever refreshes warm accounts (on-demand ones are refreshed by the service
 * endpoints), so there is no other threshold to keep.
 */

/** The claim passes spread their work by a tenth of the account's jitter (0–30 s). */
export const CLAIM_JITTER_DIVISOR = 10;

export function claimPassesEnabled(env: Env): boolean {
  return env.TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS > 0;
}

/** The due rule the worker claims warm accounts by (cycles and claim passes alike). */
export function warmDueRule(env: Env): Omit<DueQuery, 'now'> {
  return claimPassesEnabled(env)
    ? { thresholdSeconds: env.TOKEN_REFRESH_CLAIM_MARGIN_SECONDS, jitterDivisor: CLAIM_JITTER_DIVISOR }
    : { thresholdSeconds: env.TOKEN_REFRESH_THRESHOLD_SECONDS };
}
