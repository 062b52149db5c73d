import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../../db/client.ts';
import { dbDateOrNull } from '../../db/rows.ts';

/**
 * A 429 from eBay's token endpoint on a refresh (without a Retry-After short enough to wait out
 * in the cycle) pauses warm refreshes for every replica until the Retry-After, or an hour when
 * eBay gave none, instead of each account trying and failing in turn. Kept in
 * `ebay_refresh_pauses`, so every replica reads it before it claims. A 429 to an on-demand
 * refresh records the pause too; on-demand refreshes themselves are not paused: they are what
 * the reserve is for.
 */

export const DEFAULT_PAUSE_SECONDS = 3_600;
/** A Retry-After up to this is waited out (the worker's in-cycle cap): no pause. */
export const PAUSE_AFTER_RETRY_AFTER_SECONDS = 60;

/** Until when a 429 with this Retry-After pauses warm refreshes; null when it does not. */
export function rateLimitPauseUntil(
  retryAfterSeconds: number | undefined,
  now: Date,
  waitCapSeconds = PAUSE_AFTER_RETRY_AFTER_SECONDS,
): Date | null {
  if (retryAfterSeconds !== undefined && retryAfterSeconds <= waitCapSeconds) return null;
  return new Date(now.getTime() + (retryAfterSeconds ?? DEFAULT_PAUSE_SECONDS) * 1000);
}
const GRANT = 'refresh_token';

/** The pause in force at `now`, or null. */
export async function readRefreshPause(db: Db, now: Date): Promise<Date | null> {
  const [row] = await queryRows(
    db,
    sql`select paused_until from ebay_refresh_pauses
        where grant_type = ${GRANT} and paused_until > ${now.toISOString()}::timestamptz`,
    z.object({ paused_until: dbDateOrNull }),
  );
  return row?.paused_until ?? null;
}

/** Pauses warm refreshes until `until` (a later pause already recorded is kept). */
export async function recordRefreshPause(db: Db, until: Date, reason: string, now: Date): Promise<void> {
  await db.execute(
    sql`insert into ebay_refresh_pauses (grant_type, paused_until, reason, paused_at)
        values (${GRANT}, ${until.toISOString()}::timestamptz, ${reason}, ${now.toISOString()}::timestamptz)
        on conflict (grant_type) do update
          set paused_until = greatest(ebay_refresh_pauses.paused_until, excluded.paused_until),
              reason = excluded.reason, paused_at = excluded.paused_at`,
  );
}
