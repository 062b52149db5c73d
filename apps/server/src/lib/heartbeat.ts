import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

/**
 * The `background_workers` heartbeat row of a loop: one row per loop name, last writer wins.
 * `interval_seconds` is an integer column: sub-second intervals (tests) are stored rounded up.
 */

export async function markLoopStarted(
  db: Db,
  row: { name: string; intervalSeconds: number; instanceId: string; at: Date },
): Promise<void> {
  await db.execute(sql`
    insert into background_workers (name, interval_seconds, last_started_at, last_status, last_error, instance_id)
    values (${row.name}, ${Math.ceil(row.intervalSeconds)}, ${row.at.toISOString()}::timestamptz, 'running', null, ${row.instanceId})
    on conflict (name) do update
    set interval_seconds = excluded.interval_seconds,
        last_started_at = excluded.last_started_at,
        last_status = 'running',
        instance_id = excluded.instance_id`);
}

/** Records the end of a cycle. An error keeps the previous summary; last_error says what failed. */
export async function markLoopFinished(
  db: Db,
  row: {
    name: string;
    intervalSeconds: number;
    instanceId: string;
    at: Date;
    status: 'ok' | 'error';
    error: string | null;
    summary: Record<string, unknown> | null;
  },
): Promise<void> {
  const summary = row.summary === null ? null : JSON.stringify(row.summary);
  await db.execute(sql`
    insert into background_workers
      (name, interval_seconds, last_finished_at, last_status, last_error, last_summary, instance_id)
    values (${row.name}, ${Math.ceil(row.intervalSeconds)}, ${row.at.toISOString()}::timestamptz, ${row.status},
            ${row.error}, ${summary}::jsonb, ${row.instanceId})
    on conflict (name) do update
    set interval_seconds = excluded.interval_seconds,
        last_finished_at = excluded.last_finished_at,
        last_status = excluded.last_status,
        last_error = excluded.last_error,
        last_summary = coalesce(excluded.last_summary, background_workers.last_summary),
        instance_id = excluded.instance_id`);
}
