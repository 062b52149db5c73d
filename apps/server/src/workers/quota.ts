import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../db/client.ts';
import { countRow, dbInt } from '../db/rows.ts';

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

/** Refresh calls since `since`: all of them, and those not made by the worker (on demand, manual). */
export async function countRefreshCallsBySource(
  db: Db,
  since: Date,
): Promise<{ all: number; unscheduled: number }> {
  const [row] = await queryRows(
    db,
    sql`select count(*)::int as n, (count(*) filter (where triggered_by <> 'scheduled'))::int as unscheduled
        from ebay_token_refresh_logs where started_at >= ${since.toISOString()}::timestamptz`,
    z.object({ n: dbInt, unscheduled: dbInt }),
  );
  return { all: row?.n ?? 0, unscheduled: row?.unscheduled ?? 0 };
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

/** Token-endpoint calls of the last 24 h by grant type (the refresh plan's quota view). */
export interface GrantUsage {
  refresh_token: number;
  authorization_code: number;
  client_credentials: number;
  /** Of the refresh calls, those not made by the worker's cycle (on demand, manual). */
  refresh_token_unscheduled: number;
}

export async function measureGrantUsage(db: Db, now: Date): Promise<GrantUsage> {
  const since = new Date(now.getTime() - 86_400_000).toISOString();
  const [row] = await queryRows(
    db,
    sql`select
          (select count(*)::int from ebay_token_refresh_logs where started_at >= ${since}::timestamptz) as refresh,
          (select count(*)::int from ebay_token_refresh_logs
             where started_at >= ${since}::timestamptz and triggered_by <> 'scheduled') as unscheduled,
          (select count(*)::int from ebay_connect_logs
             where action = 'token_exchanged' and created_at >= ${since}::timestamptz) as code,
          (select count(*)::int from ebay_connect_logs
             where action in ('app_token_issued', 'app_token_failed') and created_at >= ${since}::timestamptz) as app`,
    z.object({ refresh: dbInt, unscheduled: dbInt, code: dbInt, app: dbInt }),
  );
  return {
    refresh_token: row?.refresh ?? 0,
    authorization_code: row?.code ?? 0,
    client_credentials: row?.app ?? 0,
    refresh_token_unscheduled: row?.unscheduled ?? 0,
  };
}

export const HOUR_MS = 3_600_000;

/**
 * Refresh-log rows per UTC clock hour from `since` (an hour start) on, one grouped scan of
 * `refresh_logs_started_idx`. Keyed by the hour's start in epoch milliseconds; hours without
 * calls are absent.
 */
export async function countRefreshCallsByHour(db: Db, since: Date): Promise<Map<number, number>> {
  const rows = await queryRows(
    db,
    sql`select floor(extract(epoch from started_at) / 3600)::int as hour, count(*)::int as n
        from ebay_token_refresh_logs
        where started_at >= ${since.toISOString()}::timestamptz
        group by 1`,
    z.object({ hour: dbInt, n: dbInt }),
  );
  return new Map(rows.map((row) => [row.hour * HOUR_MS, row.n]));
}
