import type { LogEntry } from '@ebay-connector/contracts';
import { gt, inArray, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type Db, queryRows } from '../db/client.ts';
import { dbInt } from '../db/rows.ts';
import { ebayConnectLogs } from '../db/schema.ts';
import type { LogRow } from './presentLogEntry.ts';
import { presentLogEntry } from './presentLogEntry.ts';
import { type LogFilter, queryLogEntriesAfter, rowMatchesFilter, selectLogRows } from './queryLogs.ts';

/**
 * The live tail behind the terminal stream: ONE poller per process reads connect-log rows
 * with `id > last` about every second and fans them out to every subscriber whose filter
 * matches. Rows written by any process (worker replicas included) arrive this way, so no
 * in-process event bus is needed. Ids skipped by the poll (a transaction that committed
 * later than a higher id) are re-checked for a while, so late commits are not lost.
 */

export interface LogStreamOptions {
  intervalMs?: number;
  /** How long a skipped id is re-checked before it is taken for a rolled-back insert. */
  gapRetentionMs?: number;
  clientSecret?: string;
  logger?: Logger;
}

type Deliver = (entries: LogEntry[]) => void;

interface Subscriber {
  filter: LogFilter;
  deliver: Deliver;
  /** Rows polled while the resume backlog is read; flushed after it. */
  buffer: LogRow[] | null;
  /** Ids at or below this were before the subscriber's resume point (or sent by the backlog). */
  floor: number;
  backlogIds: Set<number>;
}

const BATCH = 1000;
const MAX_TRACKED_GAPS = 1000;

export class LogStream {
  private readonly subscribers = new Set<Subscriber>();
  private readonly gaps = new Map<number, number>();
  private lastId = 0;
  private starting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Bumped on every start and stop, so a poll of a stopped run neither delivers nor reschedules. */
  private generation = 0;
  private readonly intervalMs: number;
  private readonly gapRetentionMs: number;

  constructor(
    private readonly db: Db,
    private readonly opts: LogStreamOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.gapRetentionMs = opts.gapRetentionMs ?? 15_000;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Starts delivering entries that match `filter`. With `resumeAfterId`, first delivers
   * what was written after that id (at most 1000 entries), then the live tail.
   */
  async subscribe(filter: LogFilter, deliver: Deliver, resumeAfterId: number | null): Promise<() => void> {
    await this.start();
    const sub: Subscriber = { filter, deliver, buffer: [], floor: resumeAfterId ?? 0, backlogIds: new Set() };
    this.subscribers.add(sub);
    try {
      if (resumeAfterId !== null) {
        const backlog = await queryLogEntriesAfter(
          this.db,
          filter,
          resumeAfterId,
          BATCH,
          this.opts.clientSecret,
        );
        for (const entry of backlog) sub.backlogIds.add(entry.id);
        if (backlog.length > 0) deliver(backlog);
      }
    } catch (err) {
      this.unsubscribe(sub); // the caller gets no way to stop it
      throw err;
    } finally {
      const buffered = sub.buffer ?? [];
      sub.buffer = null;
      this.deliverTo(sub, buffered);
    }
    return () => this.unsubscribe(sub);
  }

  close(): void {
    this.subscribers.clear();
    this.stop();
  }

  private unsubscribe(sub: Subscriber): void {
    this.subscribers.delete(sub);
    if (this.subscribers.size === 0) this.stop();
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      const [row] = await queryRows(
        this.db,
        sql`select coalesce(max(id), 0) as max from ebay_connect_logs`,
        z.object({ max: dbInt }),
      );
      this.lastId = row?.max ?? 0;
      this.gaps.clear();
      this.generation++;
      this.schedule(this.generation);
    })().catch((err: unknown) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.starting = null;
    this.generation++;
  }

  private schedule(generation: number): void {
    this.timer = setTimeout(() => void this.tick(generation), this.intervalMs);
    this.timer.unref();
  }

  private async tick(generation: number): Promise<void> {
    try {
      await this.poll(generation);
    } catch (err) {
      this.opts.logger?.warn({ err }, 'terminal stream poll failed; retrying');
    }
    if (generation === this.generation && this.subscribers.size > 0) this.schedule(generation);
  }

  private async poll(generation: number): Promise<void> {
    const gapIds = [...this.gaps.keys()];
    const afterLast = gt(ebayConnectLogs.id, this.lastId);
    const where = gapIds.length > 0 ? or(afterLast, inArray(ebayConnectLogs.id, gapIds)) : afterLast;
    const rows = await selectLogRows(this.db, where, { limit: BATCH, order: 'asc' });
    if (generation !== this.generation) return;
    this.trackGaps(rows);
    if (rows.length === 0) return;
    for (const sub of this.subscribers) {
      if (sub.buffer) sub.buffer.push(...rows);
      else this.deliverTo(sub, rows);
    }
  }

  /** Remembers ids skipped between the rows read (not yet committed), forgets found or old ones. */
  private trackGaps(rows: LogRow[]): void {
    const now = Date.now();
    let expected = this.lastId + 1;
    for (const row of rows) {
      this.gaps.delete(row.id);
      if (row.id < expected) continue;
      for (let id = expected; id < row.id && this.gaps.size < MAX_TRACKED_GAPS; id++) this.gaps.set(id, now);
      expected = row.id + 1;
    }
    this.lastId = Math.max(this.lastId, expected - 1);
    for (const [id, since] of this.gaps) if (now - since > this.gapRetentionMs) this.gaps.delete(id);
  }

  private deliverTo(sub: Subscriber, rows: LogRow[]): void {
    const entries = rows
      .filter((row) => !sub.backlogIds.has(row.id) && row.id > sub.floor && rowMatchesFilter(row, sub.filter))
      .map((row) => presentLogEntry(row, sub.filter.orgId, this.opts.clientSecret));
    if (entries.length === 0) return;
    try {
      sub.deliver(entries);
    } catch (err) {
      this.opts.logger?.warn({ err }, 'terminal stream subscriber failed; dropping it');
      this.unsubscribe(sub);
    }
  }
}
