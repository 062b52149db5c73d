import type { LoopStatus } from '@ebay-connector/contracts';
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { backgroundWorkers } from '../db/schema.ts';
import { maskFreeText } from '../logs/mask.ts';
import { isRecord, presentCycleSummary } from '../logs/presentLogEntry.ts';

const LOOP_STATUSES = new Set(['running', 'ok', 'error']);

/**
 * Heartbeats of the background loops. Stale: the last finish (or, before the first one, the
 * start) is older than three intervals. A cycle summary is shown as the org's own part.
 */
export async function listLoopStatus(db: Db, orgId: string, now: Date): Promise<LoopStatus[]> {
  const rows = await db.select().from(backgroundWorkers).orderBy(asc(backgroundWorkers.name));
  return rows.map((w) => {
    const reference = w.lastFinishedAt ?? w.lastStartedAt;
    const stale = !reference || now.getTime() - reference.getTime() > 3 * w.intervalSeconds * 1000;
    const summary = isRecord(w.lastSummary) ? w.lastSummary : null;
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
    };
  });
}
