import type { LoopStatus } from '@ebay-connector/contracts';
import type { Db } from '../db/client.ts';
import { requestLoopRun } from '../lib/runRequests.ts';
import { listLoopStatus } from './loopStatusQuery.ts';

/**
 * "Run cycle now" from the Workers page: the request is written to the loop's row, where the
 * sleeping replicas look for it every second; one takes it and starts a cycle. Null when no
 * replica of that loop has ever reported (nothing would take it).
 */
export async function requestCycleNow(
  db: Db,
  input: { name: string; orgId: string; by: string; now: Date },
): Promise<LoopStatus | null> {
  const requested = await requestLoopRun(db, {
    name: input.name,
    at: input.now,
    by: input.by,
    orgId: input.orgId,
  });
  if (!requested) return null;
  const loops = await listLoopStatus(db, input.orgId, input.now);
  return loops.find((loop) => loop.name === input.name) ?? null;
}
