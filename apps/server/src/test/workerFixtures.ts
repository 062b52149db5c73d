import type { EbaySim } from '@ebay-connector/ebay-sim';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import type { TestContext } from './appContext.ts';
import { type BuiltAccount, buildAccount, buildOrg } from './factories.ts';

/** Shared set-up of the worker's integration tests. */

/** Every test starts from no accounts and no logs (the worker looks at all orgs). */
export async function clearWorkerTables(db: Db): Promise<void> {
  await db.execute(sql`delete from ebay_token_refresh_logs`);
  await db.execute(sql`delete from ebay_connect_logs`);
  await db.execute(sql`delete from ebay_accounts`);
  await db.execute(sql`delete from background_workers`);
}

/** `count` accounts spread over `orgCount` orgs whose access tokens expire in `accessExpiresInSeconds`. */
export async function buildDueAccounts(
  ctx: TestContext,
  sim: EbaySim,
  count: number,
  opts: { orgCount?: number; accessExpiresInSeconds?: number } = {},
): Promise<(BuiltAccount & { orgId: string })[]> {
  const orgs = await Promise.all(Array.from({ length: opts.orgCount ?? 1 }, () => buildOrg(ctx.db)));
  const built: (BuiltAccount & { orgId: string })[] = [];
  for (let i = 0; i < count; i++) {
    const orgId = orgs[i % orgs.length]!.id;
    const account = await buildAccount(ctx, sim, {
      orgId,
      accessExpiresInSeconds: opts.accessExpiresInSeconds ?? 60,
    });
    built.push({ ...account, orgId });
  }
  return built;
}

export interface TokenRowView {
  account_id: string;
  access_token: string | null;
  refresh_token: string;
  access_expires_at: Date | null;
  version: number;
  lease_owner: string | null;
  lease_until: Date | null;
  next_attempt_at: Date | null;
  consecutive_failures: number;
  last_error_code: string | null;
  last_refresh_success: boolean | null;
}

/** Token rows with timestamps as Dates on both drivers (PGlite returns them as text). */
export async function readTokenRows(db: Db): Promise<TokenRowView[]> {
  const rows = await queryRows<TokenRowView>(db, sql`select * from ebay_tokens order by account_id`);
  return rows.map((r) => ({
    ...r,
    access_expires_at: asDate(r.access_expires_at),
    lease_until: asDate(r.lease_until),
    next_attempt_at: asDate(r.next_attempt_at),
  }));
}

export function asDate(value: Date | string | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

export async function cycleLogEntries(db: Db) {
  return queryRows<{
    id: number;
    org_id: string | null;
    account_id: string | null;
    environment: string | null;
    source: string;
    summary: Record<string, unknown> & { due: number; refreshed: number; failed: number };
    error: { code: string; message: string } | null;
  }>(db, sql`select * from ebay_connect_logs where action = 'token_refresh_cycle' order by id`);
}
