import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { countRow } from '../db/rows.ts';

/**
 * eBay allows 50,000 refresh-token calls per application per day. Every refresh attempt writes
 * one `ebay_token_refresh_logs` row, so the rows of the last 24 h are the calls of the last 24 h.
 * The projection also extrapolates the last hour, so a sudden storm warns before the 24 h count
 * catches up.
 */

export const EBAY_DAILY_REFRESH_LIMIT = 50_000;
export const QUOTA_WARNING_RATIO = 0.8;

export interface QuotaUsage {
  calls_24h: number;
  calls_1h: number;
  projected_daily: number;
  limit: number;
  warning: boolean;
}

export async function countRefreshCallsSince(db: Db, since: Date): Promise<number> {
  const [row] = await queryRows(
    db,
    sql`select count(*)::int as n from ebay_token_refresh_logs where started_at >= ${since.toISOString()}::timestamptz`,
    countRow,
  );
  return row?.n ?? 0;
}

export function projectQuota(
  calls24h: number,
  calls1h: number,
  limit = EBAY_DAILY_REFRESH_LIMIT,
): QuotaUsage {
  const projected = Math.max(calls24h, calls1h * 24);
  return {
    calls_24h: calls24h,
    calls_1h: calls1h,
    projected_daily: projected,
    limit,
    warning: projected > QUOTA_WARNING_RATIO * limit,
  };
}

export async function measureQuota(db: Db, now: Date): Promise<QuotaUsage> {
  const calls24h = await countRefreshCallsSince(db, new Date(now.getTime() - 86_400_000));
  const calls1h = await countRefreshCallsSince(db, new Date(now.getTime() - 3_600_000));
  return projectQuota(calls24h, calls1h);
}
