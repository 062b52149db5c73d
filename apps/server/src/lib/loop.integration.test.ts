import { sql } from 'drizzle-orm';
import pino from 'pino';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { anyRow, dbDateOrNull, dbInt, dbJson } from '../db/rows.ts';
import { describeEachDb } from '../test/db.ts';
import { waitFor } from '../test/waitFor.ts';
import { startLoop } from './loop.ts';

const heartbeatRow = z.object({
  name: z.string(),
  interval_seconds: dbInt,
  last_status: z.string().nullable(),
  last_error: z.string().nullable(),
  last_summary: dbJson(anyRow).nullable(),
  instance_id: z.string().nullable(),
  last_started_at: dbDateOrNull,
  last_finished_at: dbDateOrNull,
});

describeEachDb('startLoop', (getDb) => {
  const logger = pino({ level: 'silent' });
  const heartbeat = async (name: string) =>
    (
      await queryRows(getDb().db, sql`select * from background_workers where name = ${name}`, heartbeatRow)
    )[0];
  const base = (name: string, signal: AbortSignal) => ({
    name,
    intervalSeconds: 0.05,
    db: getDb().db,
    instanceId: 'instance-1',
    logger,
    now: () => new Date(),
    signal,
  });

  it('writes the heartbeat at the start and the end of every cycle', async () => {
    const controller = new AbortController();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let cycles = 0;
    const loop = startLoop({
      ...base('hb', controller.signal),
      intervalSeconds: 600,
      runCycle: async () => {
        cycles += 1;
        await gate;
        return { done: cycles };
      },
    });
    await waitFor(async () => (await heartbeat('hb'))?.last_status === 'running', 5000, 'running heartbeat');
    expect(await heartbeat('hb')).toMatchObject({
      interval_seconds: 600,
      instance_id: 'instance-1',
      last_finished_at: null,
    });
    release();
    await waitFor(async () => (await heartbeat('hb'))?.last_status === 'ok', 5000, 'ok heartbeat');
    expect(await heartbeat('hb')).toMatchObject({ last_error: null, last_summary: { done: 1 } });
    controller.abort();
    await loop.done;
    expect(cycles).toBe(1);
  });

  it('never overlaps cycles, even when one takes longer than the interval', async () => {
    const controller = new AbortController();
    let running = 0;
    let maxRunning = 0;
    let cycles = 0;
    const loop = startLoop({
      ...base('overlap', controller.signal),
      runCycle: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 120));
        running -= 1;
        cycles += 1;
        return {};
      },
    });
    await waitFor(() => cycles >= 4, 5000, 'four cycles');
    controller.abort();
    await loop.done;
    expect(maxRunning).toBe(1);
  });

  it('records a failing cycle as error, keeps the last summary, and carries on', async () => {
    const controller = new AbortController();
    // Each cycle waits for the test to let it run, and the interval leaves time to read each
    // finished state before the next start overwrites last_status with 'running'.
    let letRun: (() => void) | null = null;
    const step = async () => {
      await waitFor(() => letRun !== null, 5000, 'the next cycle to start');
      const run = letRun!;
      letRun = null;
      run();
    };
    let n = 0;
    const loop = startLoop({
      ...base('flaky', controller.signal),
      intervalSeconds: 0.5,
      runCycle: async (signal) => {
        await new Promise<void>((r) => {
          letRun = r;
          signal.addEventListener('abort', () => r(), { once: true });
        });
        n += 1;
        if (n === 2) throw new Error('boom: relation does not exist');
        if (n === 3) throw { weird: true };
        return { n };
      },
    });
    const statusIs = (status: string) =>
      waitFor(async () => (await heartbeat('flaky'))?.last_status === status, 5000, `${status} heartbeat`);

    await step();
    await statusIs('ok');
    await step();
    await statusIs('error');
    expect(await heartbeat('flaky')).toMatchObject({
      last_error: 'boom: relation does not exist',
      last_summary: { n: 1 },
    });
    await step();
    await waitFor(() => loop.stats().errors === 2, 5000, 'the second failure');
    await statusIs('error');
    expect((await heartbeat('flaky'))?.last_error).toBe('Non-Error thrown: {"weird":true}');
    await step();
    await statusIs('ok');
    expect(await heartbeat('flaky')).toMatchObject({ last_error: null, last_summary: { n: 4 } });
    controller.abort();
    await loop.done;
    expect(loop.stats()).toMatchObject({ errors: 2, consecutiveErrors: 0, lastStatus: 'ok' });
  });

  it('an abort lets the running cycle finish (it sees the signal) and then stops', async () => {
    const controller = new AbortController();
    let sawAbort = false;
    let finished = false;
    let started = false;
    const loop = startLoop({
      ...base('stop', controller.signal),
      runCycle: async (signal) => {
        started = true;
        await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
        sawAbort = signal.aborted;
        await new Promise((r) => setTimeout(r, 50));
        finished = true;
        return { aborted: true };
      },
    });
    await waitFor(() => started, 5000, 'cycle start');
    controller.abort();
    await loop.done;
    expect({ sawAbort, finished }).toEqual({ sawAbort: true, finished: true });
    expect(await heartbeat('stop')).toMatchObject({ last_status: 'ok', last_summary: { aborted: true } });
    expect(loop.stats().cycles).toBe(1);
  });
});
