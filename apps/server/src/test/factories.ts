import { randomBytes } from 'node:crypto';
import type { Environment } from '@ebay-connector/contracts';
import type { EbaySim, IssuedGrant } from '@ebay-connector/ebay-sim';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { createUser } from '../auth/users.ts';
import type { AppContext } from '../context.ts';
import type { DecryptDiagnosis } from '../crypto/tokenCipher.ts';
import { type Db, queryRows } from '../db/client.ts';
import { dbDateOrNull, dbInt } from '../db/rows.ts';
import { storeNewGrant } from '../tokens/connect/storeGrant.ts';
import { makeBrokenValue } from '../tokens/doctor/brokenTokens.ts';

/** Test data builders: `buildX(…, overrides)` with sensible defaults. */

export async function buildOrg(
  db: Db,
  name = `org-${randomBytes(4).toString('hex')}`,
): Promise<{ id: string; name: string }> {
  const [row] = await queryRows(
    db,
    sql`insert into orgs (name) values (${name}) returning id`,
    z.object({ id: z.string() }),
  );
  return { id: row!.id, name };
}

export interface AccountOverrides {
  orgId: string;
  environment?: Environment;
  houseName?: string;
  username?: string;
  scopes?: string[];
  accessExpiresInSeconds?: number;
  refreshExpiresInSeconds?: number;
  /** Store the refresh token broken in this way (the seed incident's kinds). */
  brokenRefreshToken?: DecryptDiagnosis;
}

export interface BuiltAccount {
  accountId: string;
  grant: IssuedGrant;
}

/** A real grant from the simulator, stored through the same path as the connect flow. */
export async function buildAccount(
  ctx: AppContext,
  sim: EbaySim,
  o: AccountOverrides,
): Promise<BuiltAccount> {
  const grant = sim.control.issueGrant({
    ...(o.username ? { username: o.username } : {}),
    ...(o.scopes ? { scopes: o.scopes } : {}),
    ...(o.accessExpiresInSeconds !== undefined ? { accessExpiresInSeconds: o.accessExpiresInSeconds } : {}),
    ...(o.refreshExpiresInSeconds !== undefined
      ? { refreshExpiresInSeconds: o.refreshExpiresInSeconds }
      : {}),
  });
  const { accountId } = await storeNewGrant(ctx, {
    orgId: o.orgId,
    environment: o.environment ?? 'production',
    houseName: o.houseName ?? `House ${grant.username}`,
    ebayUserId: grant.user_id,
    ebayUsername: grant.username,
    accessToken: grant.access_token,
    accessExpiresIn: o.accessExpiresInSeconds ?? grant.expires_in,
    refreshToken: grant.refresh_token,
    refreshExpiresIn: o.refreshExpiresInSeconds ?? grant.refresh_token_expires_in,
    scopes: o.scopes ?? ctx.ebay.scopes,
  });
  if (o.brokenRefreshToken) {
    const broken = makeBrokenValue(ctx.cipher, grant.refresh_token, o.brokenRefreshToken);
    await ctx.db.execute(
      sql`update ebay_tokens set refresh_token = ${broken} where account_id = ${accountId}`,
    );
  }
  return { accountId, grant };
}

export async function readTokenRow(db: Db, accountId: string) {
  const [row] = await queryRows(
    db,
    sql`select * from ebay_tokens where account_id = ${accountId}`,
    // Every column is kept (tests compare whole rows); these are checked.
    z.looseObject({
      access_token: z.string().nullable(),
      refresh_token: z.string(),
      access_expires_at: dbDateOrNull,
      version: dbInt,
      consecutive_failures: dbInt,
      last_error_code: z.string().nullable(),
      lease_owner: z.string().nullable(),
      next_attempt_at: dbDateOrNull,
    }),
  );
  return row!;
}

export interface BuiltUser {
  userId: string;
  email: string;
  password: string;
  role: 'admin' | 'viewer';
}

/** A user with a known password (argon2id-hashed like any other). */
export async function buildUser(
  db: Db,
  o: { orgId: string; role?: 'admin' | 'viewer'; email?: string; password?: string },
): Promise<BuiltUser> {
  const email = o.email ?? `user-${randomBytes(4).toString('hex')}@example.test`;
  const password = o.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const role = o.role ?? 'admin';
  const created = await createUser(db, { orgId: o.orgId, email, role, password });
  if (!created.ok) throw new Error(created.message);
  return { userId: created.userId, email: created.email, password, role };
}
