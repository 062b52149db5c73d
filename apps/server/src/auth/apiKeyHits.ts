/**
 * The per-key request count of `/api/v1`, kept in this process between writes to the shared
 * window in `rate_limits` (docs/PERFORMANCE.md, benchmark 8: a write per request halved the
 * database's throughput of the access-token statement).
 *
 * A request sends its key's hits to the database (its own and those counted here since the last
 * send) when the key has no known window in this process, when the window ended, when the last
 * send is `syncMs` old, or when the count here would pass the limit; otherwise it is counted here
 * only. So one replica answers 429 exactly at `max + 1`, and a 429 is always a count the database
 * confirmed (never early); hits on other replicas are seen at their next send, so a key spread
 * over R replicas can get past the limit by at most what it sends to each in `syncMs`.
 * `syncMs` 0 sends every hit (exact across replicas, one write per request).
 */

interface KeyWindow {
  /** The window's count in the database at the last send. */
  hits: number;
  /** Hits counted here and not sent yet. */
  pending: number;
  /** performance.now() of the window's end and of the last send. */
  endsAt: number;
  sentAt: number;
}

/** Keys with a window in this process (oldest forgotten first: a forgotten key only sends sooner). */
const MAX_KEYS = 10_000;

export class ApiKeyHitCounter {
  private readonly windows = new Map<string, KeyWindow>();

  constructor(
    private readonly max: number,
    private readonly syncMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Hits this request sends to the database with its key lookup: 0 (it is counted here), or the
   * pending ones and its own, which it takes (a send that fails or finds the key refused drops
   * them, erring towards answering).
   */
  toSend(keyHash: string): number {
    const w = this.windows.get(keyHash);
    const t = this.now();
    if (!w || t >= w.endsAt) return 1;
    if (t - w.sentAt < this.syncMs && w.hits + w.pending + 1 <= this.max) return 0;
    const n = w.pending + 1;
    w.pending = 0;
    // Requests meanwhile count here against the last known count until this send answers.
    w.sentAt = t;
    return n;
  }

  /** The database counted `sent` hits: the window has `hits` now and ends in `ttlMs`. */
  sent(keyHash: string, hits: number, ttlMs: number): { hits: number; ttlMs: number } {
    const t = this.now();
    const w = this.windows.get(keyHash);
    const endsAt = t + ttlMs;
    if (!w || t >= w.endsAt || endsAt > w.endsAt + 1000) {
      // A new window: hits counted here for the old one are gone with it.
      this.remember(keyHash, { hits, pending: 0, endsAt, sentAt: t });
    } else {
      // Answers of concurrent sends can come back in any order: the largest count is the latest.
      w.hits = Math.max(w.hits, hits);
    }
    return this.estimate(keyHash)!;
  }

  /** Counts a hit here (toSend said 0); its count in the window and the time left. */
  counted(keyHash: string): { hits: number; ttlMs: number } | null {
    const w = this.windows.get(keyHash);
    if (!w) return null;
    w.pending += 1;
    return this.estimate(keyHash);
  }

  private estimate(keyHash: string): { hits: number; ttlMs: number } | null {
    const w = this.windows.get(keyHash);
    if (!w) return null;
    return { hits: w.hits + w.pending, ttlMs: Math.max(0, w.endsAt - this.now()) };
  }

  private remember(keyHash: string, w: KeyWindow): void {
    this.windows.delete(keyHash);
    this.windows.set(keyHash, w);
    if (this.windows.size > MAX_KEYS) this.windows.delete(this.windows.keys().next().value!);
  }
}
