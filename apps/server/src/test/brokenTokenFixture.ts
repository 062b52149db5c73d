import type { DoctorCause, RepairAction } from '@ebay-connector/contracts';
import type { EbaySim } from '@ebay-connector/ebay-sim';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { createTokenCipher, generateKeySpec, parseKeyRing } from '../crypto/tokenCipher.ts';
import { makeBrokenValue } from '../tokens/doctor/brokenTokens.ts';
import { refreshAccount } from '../tokens/refresh/refreshAccount.ts';
import { buildAccount } from './factories.ts';

/**
 * A database holding every way a stored token was broken in the seed incident, plus the
 * account-level problems the doctor reports. `expect` is what the doctor must say about
 * each account and `repairable` whether the repair makes it refreshable again.
 */

export interface FixtureAccount {
  name: string;
  accountId: string;
  /** Causes the doctor must name, each with the repair it must prescribe. */
  expect: Partial<Record<DoctorCause, RepairAction>>;
  /** After `repair --apply`: refreshable (true), or marked needs_reconnect (false), or neither changed (null). */
  repairable: boolean | null;
}

const DAY = 24 * 3600;

/** The key that encrypted some rows before the current one was added first to the ring. */
export const PREVIOUS_KEY_SPEC = generateKeySpec('previous');

export async function buildBrokenTokenFixture(
  ctx: AppContext,
  sim: EbaySim,
  orgId: string,
): Promise<FixtureAccount[]> {
  const accounts: FixtureAccount[] = [];
  const add = async (
    name: string,
    expectCauses: FixtureAccount['expect'],
    repairable: boolean | null,
    setup: (
      accountId: string,
      grant: { access_token: string; refresh_token: string; user_id: string },
    ) => Promise<void> = async () => {},
    overrides: { scopes?: string[] } = {},
  ) => {
    const { accountId, grant } = await buildAccount(ctx, sim, { orgId, houseName: name, ...overrides });
    await setup(accountId, grant);
    accounts.push({ name, accountId, expect: expectCauses, repairable });
  };
  const setRefresh = (accountId: string, value: string) =>
    ctx.db.execute(sql`update ebay_tokens set refresh_token = ${value} where account_id = ${accountId}`);
  const broken =
    (kind: Parameters<typeof makeBrokenValue>[2]) => (id: string, g: { refresh_token: string }) =>
      setRefresh(id, makeBrokenValue(ctx.cipher, g.refresh_token, kind)).then(() => {});

  await add('healthy', {}, null);
  const previous = createTokenCipher(parseKeyRing(PREVIOUS_KEY_SPEC));
  await add('old key', { old_key: 're_encrypt' }, true, async (id, g) => {
    await ctx.db.execute(
      sql`update ebay_tokens set refresh_token = ${previous.encrypt(g.refresh_token)},
            access_token = ${previous.encrypt(g.access_token)} where account_id = ${id}`,
    );
  });
  // Left alone by default: the doctor's advice is to add the missing key back (issue 16).
  await add('unknown key id', { unknown_key_id: 'add_key_back' }, null, broken('unknown_key_id'));
  await add('auth failed', { auth_failed: 'mark_needs_reconnect' }, false, broken('auth_failed'));
  await add('malformed', { malformed: 'mark_needs_reconnect' }, false, broken('malformed'));
  await add('double encrypted', { double_encrypted: 'unwrap' }, true, broken('double_encrypted'));
  await add('double encrypted, broken inside', { double_encrypted: 'mark_needs_reconnect' }, false, (id, g) =>
    setRefresh(id, ctx.cipher.encrypt(makeBrokenValue(ctx.cipher, g.refresh_token, 'auth_failed'))).then(
      () => {},
    ),
  );
  await add(
    'not an ebay token',
    { not_an_ebay_token: 'mark_needs_reconnect' },
    false,
    broken('not_an_ebay_token'),
  );
  await add('plaintext legacy', { plaintext_legacy: 'encrypt_plaintext' }, true, broken('plaintext_legacy'));
  await add('plaintext garbage', { plaintext_legacy: 'mark_needs_reconnect' }, false, (id) =>
    setRefresh(id, 'refresh-token-from-a-spreadsheet').then(() => {}),
  );
  await add('access token broken', { auth_failed: 'discard_access_token' }, true, async (id, g) => {
    const value = makeBrokenValue(ctx.cipher, g.access_token, 'auth_failed');
    await ctx.db.execute(sql`update ebay_tokens set access_token = ${value} where account_id = ${id}`);
  });
  await add('refresh expired', { refresh_token_expired: 'mark_needs_reconnect' }, false, async (id) => {
    const past = new Date(ctx.now().getTime() - DAY * 1000).toISOString();
    await ctx.db.execute(sql`update ebay_tokens set refresh_expires_at = ${past} where account_id = ${id}`);
  });
  await add('refresh expiring', { refresh_token_expiring: 'seller_reconnect' }, null, async (id) => {
    const soon = new Date(ctx.now().getTime() + 20 * DAY * 1000).toISOString();
    await ctx.db.execute(sql`update ebay_tokens set refresh_expires_at = ${soon} where account_id = ${id}`);
  });
  await add('missing scopes', { missing_scopes: 'mark_needs_reconnect' }, false, async () => {}, {
    scopes: [ctx.ebay.scopes[0]!],
  });
  await add('revoked', { needs_reconnect: 'seller_reconnect' }, null, async (id, g) => {
    sim.control.revokeUser(g.user_id);
    const outcome = await refreshAccount(ctx, id, { source: 'manual' });
    const code = outcome.kind === 'attempted' && !outcome.result.ok ? outcome.result.code : outcome.kind;
    if (code !== 'invalid_grant') throw new Error(`fixture: expected invalid_grant, got ${code}`);
  });
  return accounts;
}
