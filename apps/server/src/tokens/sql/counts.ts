import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../../db/client.ts';
import { countRow, dbDateOrNull } from '../../db/rows.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';
import { type DueQuery, isDue } from './dueRule.ts';

/** Counts over the token rows for the worker's cycle summary, the CLI and the metrics. */

/** Active accounts with tokens: what a cycle looked at (`checked` in the summary). */
export async function countActiveAccounts(db: Db): Promise<number> {
  const [row] = await queryRows(
    db,
    sql`select count(*)::int as n from ebay_tokens join ebay_accounts on ${a.id} = ${t.accountId}
        where ${a.status} = 'active'`,
    countRow,
  );
  return row?.n ?? 0;
}

/** Of these accounts, how many are due now (after a repair: what the requested cycle will refresh). */
export async function countDueAmong(db: Db, q: DueQuery, accountIds: readonly string[]): Promise<number> {
  if (accountIds.length === 0) return 0;
  const ids = sql.join(
    accountIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const [row] = await queryRows(
    db,
    sql`select count(*)::int as n from ebay_tokens join ebay_accounts on ${a.id} = ${t.accountId}
        where ${t.accountId} in (${ids}) and ${isDue(q)}`,
    countRow,
  );
  return row?.n ?? 0;
}

/** Accounts that would be claimed now, ignoring leases (for the status page and the CLI); `warmOnly`: as the worker claims. */
export async function countDueAccounts(db: Db, q: DueQuery & { warmOnly?: boolean }): Promise<number> {
  const [row] = await queryRows(
    db,
    sql`select count(*)::int as n from ebay_tokens join ebay_accounts on ${a.id} = ${t.accountId}
        where ${isDue(q)}${q.warmOnly ? sql` and ${a.refreshWarm}` : sql``}`,
    countRow,
  );
  return row?.n ?? 0;
}

/** Active warm accounts (the refresh plan's warm set) whose access token has expired at `now`. */
export async function countExpiredWarm(db: Db, now: Date): Promise<number> {
  const [row] = await queryRows(
    db,
    sql`select count(*)::int as n from ebay_tokens join ebay_accounts on ${a.id} = ${t.accountId}
        where ${t.accessExpiresAt} <= ${now.toISOString()}::timestamptz
          and ${a.status} = 'active' and ${a.refreshWarm}`,
    countRow,
  );
  return row?.n ?? 0;
}

/** The soonest access-token expiry among active accounts; null when none has an access token. */
export async function soonestAccessExpiry(db: Db): Promise<Date | null> {
  const [row] = await queryRows(
    db,
    sql`select min(${t.accessExpiresAt}) as soonest from ebay_tokens join ebay_accounts on ${a.id} = ${t.accountId}
        where ${a.status} = 'active'`,
    z.object({ soonest: dbDateOrNull }),
  );
  return row?.soonest ?? null;
}
