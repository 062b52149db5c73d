import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../db/client.ts';
import { dbDate } from '../db/rows.ts';

/**
 * "Run cycle now" and "next cycle in 7 min", through the database so that any number of worker
 * replicas share them. A request is a time on the loop's `background_workers` row; a replica
 * takes it with compare-and-set (`run_taken_at` moves past `run_requested_at`), so exactly one
 * replica runs the requested cycle. Each replica also keeps a row in
 * `background_worker_instances` with the time of its next cycle.
 */

/** Asks for a cycle now. False when the loop has never reported (no replica would ever look). */
export async function requestLoopRun(
  db: Db,
  input: { name: string; at: Date; by: string | null; orgId: string | null },
): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`update background_workers
        set run_requested_at = ${input.at.toISOString()}::timestamptz, run_requested_by = ${input.by},
            run_requested_org_id = ${input.orgId}::uuid
        where name = ${input.name}
        returning name`,
    z.object({ name: z.string() }),
  );
  return rows.length === 1;
}

/**
 * Takes the pending request, if any, for this replica: true for exactly one replica per request.
 * A replica that waited for another's row lock re-reads the row (READ COMMITTED) and finds it
 * taken. `greatest` keeps a taken request taken when the replicas' clocks disagree.
 */
export async function takeLoopRun(
  db: Db,
  input: { name: string; instanceId: string; at: Date },
): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`update background_workers
        set run_taken_at = greatest(${input.at.toISOString()}::timestamptz, run_requested_at),
            run_taken_by = ${input.instanceId}
        where name = ${input.name} and run_requested_at is not null
          and (run_taken_at is null or run_taken_at < run_requested_at)
        returning name`,
    z.object({ name: z.string() }),
  );
  return rows.length === 1;
}

/** This replica is alive and starts its next cycle at `nextCycleAt` (null: running one now). */
export async function recordReplicaSchedule(
  db: Db,
  input: { name: string; instanceId: string; intervalSeconds: number; nextCycleAt: Date | null; at: Date },
): Promise<void> {
  await db.execute(sql`
    insert into background_worker_instances (name, instance_id, interval_seconds, next_cycle_at, last_seen_at)
    values (${input.name}, ${input.instanceId}, ${Math.ceil(input.intervalSeconds)},
            ${input.nextCycleAt?.toISOString() ?? null}::timestamptz, ${input.at.toISOString()}::timestamptz)
    on conflict (name, instance_id) do update
    set interval_seconds = excluded.interval_seconds, next_cycle_at = excluded.next_cycle_at,
        last_seen_at = excluded.last_seen_at`);
}

/** A replica that stops cleanly leaves the list at once (one that dies ages out after 3 intervals). */
export async function forgetReplica(db: Db, input: { name: string; instanceId: string }): Promise<void> {
  await db.execute(
    sql`delete from background_worker_instances where name = ${input.name} and instance_id = ${input.instanceId}`,
  );
}

export interface LoopReplica {
  name: string;
  instanceId: string;
  nextCycleAt: Date | null;
  lastSeenAt: Date;
}

const replicaRow = z
  .object({
    name: z.string(),
    instance_id: z.string(),
    next_cycle_at: dbDate.nullable(),
    last_seen_at: dbDate,
  })
  .transform(
    (r): LoopReplica => ({
      name: r.name,
      instanceId: r.instance_id,
      nextCycleAt: r.next_cycle_at,
      lastSeenAt: r.last_seen_at,
    }),
  );

/** Replicas seen within three of their intervals (the loop's stale rule), soonest next cycle first. */
export function listLiveReplicas(db: Db, now: Date): Promise<LoopReplica[]> {
  return queryRows(
    db,
    sql`select name, instance_id, next_cycle_at, last_seen_at from background_worker_instances
        where last_seen_at >= ${now.toISOString()}::timestamptz - make_interval(secs => 3 * interval_seconds)
        order by name, next_cycle_at nulls first, instance_id`,
    replicaRow,
  );
}
