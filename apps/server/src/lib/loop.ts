import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import { coerceError, describeError } from './errors.ts';
import { markLoopFinished, markLoopStarted } from './heartbeat.ts';
import { forgetReplica, recordReplicaSchedule, takeLoopRun } from './runRequests.ts';
import { sleep } from './sleep.ts';

/**
 * A generic background loop (graphile-worker style): runs `runCycle` now and then every
 * `intervalSeconds` after the previous start, never two at once, with a heartbeat row in
 * `background_workers` at the start and end of each cycle. An abort stops scheduling new
 * cycles and is passed to the running cycle, which finishes its in-flight work and returns.
 * A failing cycle (a database outage, a bug) is coerced to an Error, counted and logged; the
 * loop keeps going and recovers by itself when the cause goes away.
 *
 * Between cycles the loop records when its next one starts and checks, every
 * `runRequestPollMs`, whether an admin asked for a cycle now (runRequests.ts): one cheap
 * statement that takes the request for exactly one replica, which then starts at once. A cycle
 * that starts on schedule takes a pending request too, since it answers it.
 */

/** How often a sleeping loop looks for a "Run cycle now" request. */
export const RUN_REQUEST_POLL_MS = 1_000;

export interface LoopOptions<S extends Record<string, unknown>> {
  name: string;
  intervalSeconds: number;
  db: Db;
  instanceId: string;
  logger: Logger;
  now: () => Date;
  signal: AbortSignal;
  runCycle: (signal: AbortSignal) => Promise<S>;
  /** Writing the end-of-cycle heartbeat is retried, so a short database blip still leaves a trace. */
  heartbeatRetries?: number;
  heartbeatRetryDelayMs?: number;
  runRequestPollMs?: number;
  /**
   * Short work run while the loop waits for its next cycle, every `intervalSeconds` (the token
   * refresh worker's claim passes). Never during a cycle; a failure is logged, the loop goes on.
   */
  betweenCycles?: { intervalSeconds: number; run: (signal: AbortSignal) => Promise<unknown> };
}

export interface LoopStats {
  cycles: number;
  errors: number;
  consecutiveErrors: number;
  heartbeatFailures: number;
  lastStatus: 'running' | 'ok' | 'error' | null;
  lastError: string | null;
  lastFinishedAt: Date | null;
}

export interface LoopHandle {
  /** Resolves when the loop has stopped (after an abort, once the running cycle has returned). */
  done: Promise<void>;
  stats(): LoopStats;
}

export function startLoop<S extends Record<string, unknown>>(opts: LoopOptions<S>): LoopHandle {
  const stats: LoopStats = {
    cycles: 0,
    errors: 0,
    consecutiveErrors: 0,
    heartbeatFailures: 0,
    lastStatus: null,
    lastError: null,
    lastFinishedAt: null,
  };
  const log = opts.logger.child({ loop: opts.name });

  async function runOne(): Promise<void> {
    const startedAt = opts.now();
    stats.cycles += 1;
    stats.lastStatus = 'running';
    await writeHeartbeat('start', () =>
      markLoopStarted(opts.db, {
        name: opts.name,
        intervalSeconds: opts.intervalSeconds,
        instanceId: opts.instanceId,
        at: startedAt,
      }),
    );
    let summary: S | null = null;
    let error: string | null = null;
    try {
      summary = await opts.runCycle(opts.signal);
      stats.consecutiveErrors = 0;
    } catch (thrown) {
      error = describeError(coerceError(thrown));
      stats.errors += 1;
      stats.consecutiveErrors += 1;
      log.error(
        { err: coerceError(thrown), consecutiveErrors: stats.consecutiveErrors },
        `${opts.name} cycle failed: ${error}`,
      );
    }
    stats.lastStatus = error ? 'error' : 'ok';
    stats.lastError = error;
    stats.lastFinishedAt = opts.now();
    await writeHeartbeat('finish', () =>
      markLoopFinished(opts.db, {
        name: opts.name,
        intervalSeconds: opts.intervalSeconds,
        instanceId: opts.instanceId,
        at: opts.now(),
        status: error ? 'error' : 'ok',
        error,
        summary,
      }),
    );
  }

  async function writeHeartbeat(which: 'start' | 'finish', write: () => Promise<void>): Promise<void> {
    // The start is not retried (the cycle itself will find out whether the database is there),
    // nor is anything retried during a shutdown.
    const retries = which === 'finish' && !opts.signal.aborted ? (opts.heartbeatRetries ?? 3) : 0;
    const attempts = 1 + retries;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await write();
        return;
      } catch (thrown) {
        if (attempt === attempts) {
          stats.heartbeatFailures += 1;
          log.warn(
            { err: coerceError(thrown) },
            `${opts.name}: could not write the ${which} heartbeat: ${describeError(coerceError(thrown))}`,
          );
          return;
        }
        await sleep(opts.heartbeatRetryDelayMs ?? 1_000, opts.signal);
      }
    }
  }

  const replica = { name: opts.name, instanceId: opts.instanceId };

  /** Bookkeeping of the schedule and the requests: a failure is logged, never the loop's end. */
  async function quietly<T>(what: string, work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (thrown) {
      log.debug({ err: coerceError(thrown) }, `${opts.name}: could not ${what}`);
      return fallback;
    }
  }

  const takeRequest = () =>
    quietly('check for a run request', () => takeLoopRun(opts.db, { ...replica, at: opts.now() }), false);

  const recordSchedule = (nextCycleAt: Date | null) =>
    quietly(
      'record its next cycle',
      () =>
        recordReplicaSchedule(opts.db, {
          ...replica,
          intervalSeconds: opts.intervalSeconds,
          nextCycleAt,
          at: opts.now(),
        }),
      undefined,
    );

  async function runBetweenCycles(run: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    try {
      await run(opts.signal);
    } catch (thrown) {
      log.warn(
        { err: coerceError(thrown) },
        `${opts.name}: work between cycles failed: ${describeError(coerceError(thrown))}`,
      );
    }
  }

  /**
   * Sleeps `ms`, or less when this replica takes a run request (or the signal aborts), running
   * the between-cycles work every its interval meanwhile.
   */
  async function sleepUntilDueOrRequested(ms: number): Promise<void> {
    const pollMs = opts.runRequestPollMs ?? RUN_REQUEST_POLL_MS;
    const between = opts.betweenCycles;
    const everyMs = between ? between.intervalSeconds * 1000 : Number.POSITIVE_INFINITY;
    const until = Date.now() + ms;
    let nextBetween = Date.now() + everyMs;
    while (!opts.signal.aborted) {
      const left = until - Date.now();
      if (left <= 0) return;
      if (between && Date.now() >= nextBetween) {
        await runBetweenCycles(between.run);
        nextBetween = Math.max(nextBetween + everyMs, Date.now() + everyMs / 2);
        continue;
      }
      await sleep(Math.min(left, pollMs, Math.max(0, nextBetween - Date.now())), opts.signal);
      if (!opts.signal.aborted && (await takeRequest())) {
        log.info(`${opts.name}: cycle requested, starting now`);
        return;
      }
    }
  }

  async function loop(): Promise<void> {
    while (!opts.signal.aborted) {
      const started = Date.now();
      await recordSchedule(null);
      await takeRequest();
      await runOne();
      const wait = Math.max(opts.intervalSeconds * 1000 - (Date.now() - started), 0);
      await recordSchedule(new Date(opts.now().getTime() + wait));
      await sleepUntilDueOrRequested(wait);
    }
    await quietly('leave the replica list', () => forgetReplica(opts.db, replica), undefined);
    log.info(`${opts.name} stopped`);
  }

  // loop() never rejects: every cycle's errors are caught in runOne.
  return { done: loop(), stats: () => ({ ...stats }) };
}
