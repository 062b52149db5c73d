import { sql } from 'drizzle-orm';
import { deleteExpiredSessions } from '../auth/sessions.ts';
import { type Db, queryRows } from '../db/client.ts';
import { countRow } from '../db/rows.ts';

/**
 * Retention, once per worker cycle: connect logs and refresh logs older than LOG_RETENTION_DAYS
 * are deleted in batches, so one statement never holds many locks or a long transaction (rows
 * another instance is deleting at the same moment are skipped, not waited for); expired
 * sessions are deleted too (a session is only ever looked up unexpired).
 */

export const RETENTION_BATCH_SIZE = 5_000;
/** Bounds one cycle's work; a large backlog is worked off over several cycles. */
export const RETENTION_MAX_BATCHES_PER_CYCLE = 20;

export async function deleteConnectLogsBefore(db: Db, cutoff: Date, batchSize: number): Promise<number> {
  const rows = await queryRows(
    db,
    sql`with gone as (
          delete from ebay_connect_logs where id in (
            select id from ebay_connect_logs where created_at < ${cutoff.toISOString()}::timestamptz
            limit ${batchSize} for update skip locked)
          returning 1)
        select count(*)::int as n from gone`,
    countRow,
  );
  return rows[0]?.n ?? 0;
}

export async function deleteRefreshLogsBefore(db: Db, cutoff: Date, batchSize: number): Promise<number> {
  const rows = await queryRows(
    db,
    sql`with gone as (
          delete from ebay_token_refresh_logs where id in (
            select id from ebay_token_refresh_logs where started_at < ${cutoff.toISOString()}::timestamptz
            limit ${batchSize} for update skip locked)
          returning 1)
        select count(*)::int as n from gone`,
    countRow,
  );
  return rows[0]?.n ?? 0;
}

export interface RetentionResult {
  connect_logs_deleted: number;
  refresh_logs_deleted: number;
  sessions_deleted: number;
}

export async function applyRetention(
  db: Db,
  opts: { now: Date; retentionDays: number; batchSize?: number; maxBatches?: number },
): Promise<RetentionResult> {
  const cutoff = new Date(opts.now.getTime() - opts.retentionDays * 86_400_000);
  const batchSize = opts.batchSize ?? RETENTION_BATCH_SIZE;
  const maxBatches = opts.maxBatches ?? RETENTION_MAX_BATCHES_PER_CYCLE;
  // Refused notifications (anyone can post them): only the latest matters, for the Workers page.
  await db.execute(
    sql`delete from ebay_notification_failures where created_at < ${cutoff.toISOString()}::timestamptz`,
  );
  return {
    connect_logs_deleted: await deleteInBatches(
      () => deleteConnectLogsBefore(db, cutoff, batchSize),
      batchSize,
      maxBatches,
    ),
    refresh_logs_deleted: await deleteInBatches(
      () => deleteRefreshLogsBefore(db, cutoff, batchSize),
      batchSize,
      maxBatches,
    ),
    sessions_deleted: await deleteExpiredSessions(db, opts.now),
  };
}

async function deleteInBatches(deleteBatch: () => Promise<number>, batchSize: number, maxBatches: number) {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await deleteBatch();
    total += n;
    if (n < batchSize) break;
  }
  return total;
}
