import { createHash } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../db/client.ts';
import { dbInt } from '../db/rows.ts';

/**
 * @fastify/rate-limit's counters in the database (`rate_limits`), so that the login limit and
 * the per-account refresh limits hold across every web replica; the plugin's default store
 * counts per process, which N replicas behind a load balancer multiply by N.
 * One upsert per counted request: a fixed window per key that starts again once it ended.
 * Ended windows are deleted now and then by the same store.
 * Windows are measured against the database's clock, so that replicas whose clocks drift still
 * agree; a test passes its own clock (`now`) and moves it instead of sleeping out a window.
 */

/** Roughly one request in this many also deletes ended windows. */
const SWEEP_EVERY = 500;

export function databaseRateLimitStore(db: Db, opts: { now?: () => Date } = {}): FastifyRateLimitStoreCtor {
  let calls = 0;
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const sweep = ++calls % SWEEP_EVERY === 0;
      const now = opts.now?.();
      (sweep ? sweepEndedWindows(db, now) : Promise.resolve())
        .then(() => countHit(db, key, timeWindow, now))
        .then(
          (result) => callback(null, result),
          (error: Error) => callback(error),
        );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  }
  return DatabaseRateLimitStore;
}

/** `now`, or the database's clock. */
function timeOf(now: Date | undefined): SQL {
  return now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;
}

/** Counts one hit of `key` in its current window; returns the count and the ms left. */
export async function countHit(
  db: Db,
  key: string,
  windowMs: number,
  now?: Date,
): Promise<{ current: number; ttl: number }> {
  const hashed = hashKey(key);
  const at = timeOf(now);
  const [row] = await queryRows(
    db,
    sql`insert into rate_limits as r (key, hits, reset_at)
        values (${hashed}, 1, ${at} + make_interval(secs => ${windowMs / 1000}))
        on conflict (key) do update set
          hits = case when r.reset_at <= ${at} then 1 else r.hits + 1 end,
          reset_at = case when r.reset_at <= ${at} then excluded.reset_at else r.reset_at end
        returning r.hits, ceil(extract(epoch from (r.reset_at - ${at})) * 1000)::int as ttl_ms`,
    z.object({ hits: dbInt, ttl_ms: dbInt }),
  );
  return { current: row!.hits, ttl: Math.max(0, row!.ttl_ms) };
}

/** The hits of `key` in its current window, without counting one (0 when no window is open). */
export async function peekHits(db: Db, key: string, now?: Date): Promise<{ current: number; ttl: number }> {
  const at = timeOf(now);
  const [row] = await queryRows(
    db,
    sql`select hits, ceil(extract(epoch from (reset_at - ${at})) * 1000)::int as ttl_ms
        from rate_limits where key = ${hashKey(key)} and reset_at > ${at}`,
    z.object({ hits: dbInt, ttl_ms: dbInt }),
  );
  return row ? { current: row.hits, ttl: Math.max(0, row.ttl_ms) } : { current: 0, ttl: 0 };
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** Deletes the counters of windows that ended. */
export async function sweepEndedWindows(db: Db, now?: Date): Promise<void> {
  await db.execute(sql`delete from rate_limits where reset_at < ${timeOf(now)}`);
}
