import { cycleSummarySchema } from '@ebay-connector/contracts';
import type { EbaySim } from '@ebay-connector/ebay-sim';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../db/client.ts';
import { dbDateOrNull, dbInt, dbJson } from '../db/rows.ts';
import type { TestContext } from './appContext.ts';
import { type BuiltAccount, buildAccount, buildOrg } from './factories.ts';

/** Shared set-up of the worker's integration tests. */

/** Every test starts from no accounts and no logs (the worker looks at all orgs). */
export async function clearWorkerTables(db: Db): Promise<void> {
  await db.execute(sql`delete from ebay_token_refresh_logs`);
  await db.execute(sql`delete from ebay_connect_logs`);
  await db.execute(sql`delete from ebay_accounts`);
  await db.execute(sql`delete from background_workers`);
  await db.execute(sql`delete from background_worker_instances`);
  await db.execute(sql`delete from ebay_refresh_pauses`);
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

const tokenRowView = z.looseObject({
  account_id: z.string(),
  access_token: z.string().nullable(),
  refresh_token: z.string(),
  access_expires_at: dbDateOrNull,
  version: dbInt,
  lease_owner: z.string().nullable(),
  lease_until: dbDateOrNull,
  next_attempt_at: dbDateOrNull,
  consecutive_failures: dbInt,
  last_error_code: z.string().nullable(),
  last_refresh_success: z.boolean().nullable(),
});
export type TokenRowView = z.output<typeof tokenRowView>;

/** Token rows with timestamps as Dates on both drivers (PGlite returns them as text). */
export function readTokenRows(db: Db): Promise<TokenRowView[]> {
  return queryRows(db, sql`select * from ebay_tokens order by account_id`, tokenRowView);
}

/** The worker's `token_refresh_cycle` entries, oldest first, their summaries checked against the contract. */
export async function cycleLogEntries(db: Db) {
  return queryRows(
    db,
    sql`select * from ebay_connect_logs where action = 'token_refresh_cycle' order by id`,
    z.looseObject({
      id: dbInt,
      org_id: z.string().nullable(),
      account_id: z.string().nullable(),
      environment: z.string().nullable(),
      source: z.string(),
      summary: dbJson(cycleSummarySchema),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  );
}

/** Every refresh token still decrypts to what eBay issued, and every access token is a real one. */
export function expectTokensIntact(
  ctx: Pick<TestContext, 'cipher'>,
  accounts: readonly { accountId: string; grant: { refresh_token: string } }[],
  rows: Awaited<ReturnType<typeof readTokenRows>>,
): void {
  const byId = new Map(rows.map((r) => [r.account_id, r]));
  for (const account of accounts) {
    const row = byId.get(account.accountId)!;
    expect(ctx.cipher.decryptToken(row.refresh_token)).toMatchObject({
      ok: true,
      plaintext: account.grant.refresh_token,
    });
    expect(ctx.cipher.decryptToken(row.access_token!)).toMatchObject({ ok: true });
  }
}
