import { type AppContext, queryRows, storeNewGrant } from '@ebay-connector/server';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { RemoteSim } from './sim.ts';

/**
 * Accounts whose grants the simulator really issued, stored through the connect flow's own
 * path (`storeNewGrant`): the suite keeps each sim-issued refresh token to check later that
 * the stored one still decrypts to exactly it.
 */

export interface SuiteAccount {
  accountId: string;
  refreshToken: string;
}

export async function createAccounts(
  ctx: AppContext,
  sim: RemoteSim,
  o: { orgId: string; count: number; accessExpiresInSeconds: number; label: string },
): Promise<SuiteAccount[]> {
  const out: SuiteAccount[] = new Array(o.count);
  await forEachConcurrently(o.count, 16, async (i) => {
    const grant = await sim.grant({ accessExpiresInSeconds: o.accessExpiresInSeconds });
    const { accountId } = await storeNewGrant(ctx, {
      orgId: o.orgId,
      environment: 'production',
      houseName: `${o.label} ${String(i).padStart(4, '0')} ${grant.username}`,
      ebayUserId: grant.user_id,
      ebayUsername: grant.username,
      accessToken: grant.access_token,
      accessExpiresIn: o.accessExpiresInSeconds,
      refreshToken: grant.refresh_token,
      refreshExpiresIn: grant.refresh_token_expires_in,
      scopes: ctx.ebay.scopes,
    });
    out[i] = { accountId, refreshToken: grant.refresh_token };
  });
  // Two grants of one seller are one account (a reconnect): a stage waiting for `count` would wait forever.
  const distinct = new Set(out.map((a) => a.accountId)).size;
  if (distinct !== o.count)
    throw new Error(`${o.count} grants made ${distinct} accounts: the simulator reused a seller`);
  return out;
}

export async function createOrg(ctx: AppContext, name: string): Promise<string> {
  const [row] = await queryRows(
    ctx.db,
    sql`insert into orgs (name) values (${name}) returning id`,
    z.looseObject({ id: z.string() }),
  );
  return row!.id;
}

/** Runs `fn(0..count-1)` with at most `concurrency` at a time; the first error fails it. */
export async function forEachConcurrently(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runner = async () => {
    while (next < count) {
      const i = next++;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, runner));
}
