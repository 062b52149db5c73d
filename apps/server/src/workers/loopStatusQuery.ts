import type { LoopStatus } from '@ebay-connector/contracts';
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { backgroundWorkers } from '../db/schema.ts';
import { type LoopReplica, listLiveReplicas } from '../lib/runRequests.ts';
import { maskFreeText } from '../logs/mask.ts';
import { isRecord, presentCycleSummary } from '../logs/presentLogEntry.ts';

const LOOP_STATUSES = new Set(['running', 'ok', 'error']);

type WorkerRow = typeof backgroundWorkers.$inferSelect;

/**
 * Heartbeats of the background loops. Stale: the last finish (or, before the first one, the
 * start) is older than three intervals. A cycle summary is shown as the org's own part, and so is
 * the name of whoever asked for a cycle now (another org's admin is not named).
 */
export async function listLoopStatus(db: Db, orgId: string, now: Date): Promise<LoopStatus[]> {
  const [rows, replicas] = await Promise.all([
    db.select().from(backgroundWorkers).orderBy(asc(backgroundWorkers.name)),
    listLiveReplicas(db, now),
  ]);
  return rows.map((w) =>
    presentLoop(
      w,
      replicas.filter((r) => r.name === w.name),
      orgId,
      now,
    ),
  );
}

function presentLoop(w: WorkerRow, replicas: LoopReplica[], orgId: string, now: Date): LoopStatus {
  const reference = w.lastFinishedAt ?? w.lastStartedAt;
  const stale = !reference || now.getTime() - reference.getTime() > 3 * w.intervalSeconds * 1000;
  const summary = isRecord(w.lastSummary) ? w.lastSummary : null;
  const upcoming = replicas.map((r) => r.nextCycleAt).filter((d): d is Date => d !== null);
  const soonest = upcoming.length > 0 ? new Date(Math.min(...upcoming.map((d) => d.getTime()))) : null;
  return {
    name: w.name,
    interval_seconds: w.intervalSeconds,
    last_started_at: w.lastStartedAt?.toISOString() ?? null,
    last_finished_at: w.lastFinishedAt?.toISOString() ?? null,
    last_status: LOOP_STATUSES.has(w.lastStatus ?? '') ? (w.lastStatus as LoopStatus['last_status']) : null,
    last_error: w.lastError ? maskFreeText(w.lastError) : null,
    stale,
    last_summary:
      summary && ('by_org' in summary || 'cycle_id' in summary)
        ? presentCycleSummary(summary, orgId)
        : summary,
    instance_id: w.instanceId,
    next_cycle_at: soonest?.toISOString() ?? null,
    replicas: replicas.map((r) => ({
      instance_id: r.instanceId,
      next_cycle_at: r.nextCycleAt?.toISOString() ?? null,
      last_seen_at: r.lastSeenAt.toISOString(),
    })),
    run_request:
      w.runRequestedAt || w.runTakenAt
        ? {
            requested_at: w.runRequestedAt?.toISOString() ?? null,
            requested_by: w.runRequestedOrgId === orgId ? w.runRequestedBy : null,
            taken_at: w.runTakenAt?.toISOString() ?? null,
            taken_by: w.runTakenBy,
          }
        : null,
  };
}
