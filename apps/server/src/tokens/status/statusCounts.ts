import type { SQL } from 'drizzle-orm';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';

/**
 * Counts by token state for the Workers page's status card (and the table's total). Exact, but
 * at 100,000 accounts one aggregate joins every account of the org to its token (~100 ms on two
 * shared cores; docs/PERFORMANCE.md, benchmark 3), so a large answer is reused for a few seconds.
 */

export interface StateCounts {
  counts: Record<string, number>;
  /**
   * The last error codes of the accounts in each state (only those whose last refresh failed):
   * "failing ×2" beside "failing by error code" adds up to 2.
   */
  codesByState: Record<string, Record<string, number>>;
  total: number;
  /** The `now` every state was derived at: the answer's `counts_as_of`. */
  asOf: Date;
}

/** One aggregate over the accounts that `where` selects, each with its state (`state`) at `now`. */
export async function countTokenStates(
  db: Db,
  where: SQL | undefined,
  state: SQL<string>,
  now: Date,
): Promise<StateCounts> {
  const failingCode = sql<
    string | null
  >`case when ${t.lastRefreshSuccess} = false then ${t.lastErrorCode} end`;
  const groups = await db
    .select({ state, failingCode, n: sql<number>`count(*)::int` })
    .from(a)
    .leftJoin(t, eq(t.accountId, a.id))
    .where(where)
    // By position: the expressions carry parameters, so repeating them would not match.
    .groupBy(sql`1`, sql`2`);
  const counts: Record<string, number> = {};
  const codesByState: Record<string, Record<string, number>> = {};
  let total = 0;
  for (const g of groups) {
    const n = Number(g.n);
    counts[g.state] = (counts[g.state] ?? 0) + n;
    if (g.failingCode) {
      const codes = codesByState[g.state] ?? {};
      codes[g.failingCode] = (codes[g.failingCode] ?? 0) + n;
      codesByState[g.state] = codes;
    }
    total += n;
  }
  return { counts, codesByState, total, asOf: now };
}

export interface CountsCacheOptions {
  /** Answers counting fewer accounts are never kept: they cost a few ms, and stay exact. */
  minAccounts: number;
  /** Reused as they are while younger than this. */
  freshMs: number;
  /** Between freshMs and this, answered at once while one recount runs behind; older, recounted first. */
  maxAgeMs: number;
  maxEntries: number;
}

/**
 * At 10,000 accounts the aggregate takes ~10 ms; below 5,000 it is always run. Ten seconds at
 * most: the card's states age by the second anyway, the UI polls every 30 s and shows
 * `counts_as_of`, and the rows of the table are always read fresh.
 */
export const COUNTS_CACHE_OPTIONS: CountsCacheOptions = {
  minAccounts: 5_000,
  freshMs: 2_000,
  maxAgeMs: 10_000,
  maxEntries: 200,
};

/**
 * Per process, per database: keys are an org and the filters (see statusQuery.ts). Requests that
 * need a count while one for the same key is running wait for it (the card and the table ask
 * together) instead of running another.
 */
export class CountsCache {
  private readonly entries = new Map<string, StateCounts>();
  private readonly running = new Map<string, Promise<StateCounts>>();

  constructor(private readonly options: CountsCacheOptions = COUNTS_CACHE_OPTIONS) {}

  async get(key: string, now: Date, count: () => Promise<StateCounts>): Promise<StateCounts> {
    const kept = this.entries.get(key);
    const age = kept ? now.getTime() - kept.asOf.getTime() : -1;
    if (!kept || age < 0 || age > this.options.maxAgeMs) return this.recount(key, count);
    // Failing here drops the entry: the next request counts itself and sees the error.
    if (age > this.options.freshMs) this.recount(key, count).catch(() => {});
    return kept;
  }

  private recount(key: string, count: () => Promise<StateCounts>): Promise<StateCounts> {
    const already = this.running.get(key);
    if (already) return already;
    const counting = count()
      .then(
        (value) => {
          this.entries.delete(key);
          if (value.total >= this.options.minAccounts) {
            this.entries.set(key, value);
            // Oldest first: Map keeps insertion order, and every store re-inserts.
            const oldest = this.entries.keys().next().value;
            if (this.entries.size > this.options.maxEntries && oldest !== undefined) {
              this.entries.delete(oldest);
            }
          }
          return value;
        },
        (error: unknown) => {
          this.entries.delete(key);
          throw error;
        },
      )
      .finally(() => this.running.delete(key));
    this.running.set(key, counting);
    return counting;
  }
}

const caches = new WeakMap<Db, CountsCache>();

/** The cache of one database handle (tests and benchmarks open several in one process). */
export function countsCacheFor(db: Db): CountsCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new CountsCache();
    caches.set(db, cache);
  }
  return cache;
}
