import type { TokenRepairReport } from '@ebay-connector/contracts';
import type { AppContext } from '../../context.ts';
import { listLiveReplicas, requestLoopRun } from '../../lib/runRequests.ts';
import { countDueAmong } from '../sql/counts.ts';
import { warmDueRule } from '../sql/dueSchedule.ts';
import { type RepairOptions, runTokenRepair } from './repairTokens.ts';

/**
 * The repair as the Workers page runs it: an applied repair clears the accounts' backoff, so
 * the ones now due are asked of the worker at once ("Run cycle now" through the database, which
 * one replica takes within a second) instead of waiting up to an interval while they show
 * FAILING. Accounts not due yet are refreshed when they come due, as the table shows.
 */
export async function repairAndRefresh(
  ctx: AppContext,
  opts: RepairOptions & { orgId: string; requestedBy: string; loopName: string },
): Promise<TokenRepairReport> {
  const { report, appliedAccountIds } = await runTokenRepair(ctx, opts);
  if (!report.apply || appliedAccountIds.length === 0) return report;
  const now = ctx.now();
  const due = await countDueAmong(ctx.db, { now, ...warmDueRule(ctx.env) }, appliedAccountIds);
  const requested =
    due > 0 &&
    (await requestLoopRun(ctx.db, { name: opts.loopName, at: now, by: opts.requestedBy, orgId: opts.orgId }));
  const replicas = await listLiveReplicas(ctx.db, now);
  return {
    ...report,
    refresh_after: {
      due_now: due,
      cycle_requested_at: requested ? now.toISOString() : null,
      worker_running: replicas.some((r) => r.name === opts.loopName),
    },
  };
}
