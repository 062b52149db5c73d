import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { anyRow } from '../db/rows.ts';
import { CALLBACK, callback, consent } from '../test/connectFlow.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount, readTokenRow } from '../test/factories.ts';
import { type Client, expectNoSecrets, signedInClient, useHarness } from '../test/harness.ts';

/**
 * Issue 16, defect 1: a reconnect is bound to its account. Signing in at eBay as another seller
 * stores nothing for the account, makes no second account, and says so.
 */
describeEachDb('reconnect bound to its account', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  const texts: string[] = [];
  beforeAll(async () => {
    admin = await signedInClient(h());
    h().sim.control.setRedirectUrls(CALLBACK);
  });
  afterAll(async () => {
    const rows = await queryRows(h().ctx.db, sql`select * from ebay_connect_logs`, anyRow);
    expectNoSecrets(h().sim, [...texts, ...rows.map((r) => JSON.stringify(r))]);
  });

  /** An account of the admin's org whose seller revoked access, as the worker leaves it. */
  async function brokenAccount(houseName: string) {
    const built = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId, houseName });
    h().sim.control.revokeUser(built.grant.user_id);
    await h().ctx.db.execute(
      sql`update ebay_accounts set status = 'needs_reconnect', status_reason = 'invalid_grant' where id = ${built.accountId}`,
    );
    return built;
  }

  async function startReconnect(accountId: string): Promise<string> {
    const res = await admin.post('/api/admin/ebay/connect/start', { ebay_account_id: accountId });
    texts.push(res.body);
    expect(res.statusCode).toBe(200);
    return res.json().authorize_url;
  }

  const accountsNamed = async (houseName: string) =>
    (await admin.get('/api/admin/ebay/accounts'))
      .json()
      .accounts.filter((a: { house_name: string }) => a.house_name === houseName);

  it('reconnecting as the account’s own seller writes that account and says it was a reconnect', async () => {
    const { accountId, grant } = await brokenAccount('Summit Outdoor');
    const url = await startReconnect(accountId);
    expect(new URL(url).searchParams.get('prompt')).toBe('login');
    const landed = await callback(
      h().app,
      admin,
      await consent(h().sim, url, { action: 'agree', seller: grant.user_id }),
      texts,
    );
    expect(landed.searchParams.get('connected')).toBe(accountId);
    expect(landed.searchParams.get('reconnected')).toBe('1');
    expect(await accountsNamed('Summit Outdoor')).toEqual([
      expect.objectContaining({ id: accountId, status: 'active', ebay_user_id: grant.user_id }),
    ]);
    const refreshed = (await admin.post(`/api/admin/ebay/accounts/${accountId}/refresh`)).json();
    expect(refreshed.success).toBe(true);
  });

  it('a grant for another eBay user stores nothing, makes no second account and says so plainly', async () => {
    const { accountId, grant } = await brokenAccount('Peak Gear');
    const before = await readTokenRow(h().ctx.db, accountId);
    const url = await startReconnect(accountId);
    const landed = await callback(
      h().app,
      admin,
      await consent(h().sim, url, { action: 'agree', new_username: 'someone_else' }),
      texts,
    );
    expect(landed.pathname).toBe('/accounts');
    expect(landed.searchParams.get('connected')).toBeNull();
    expect(landed.searchParams.get('connect_error')).toBe('wrong_seller');
    expect(landed.searchParams.get('account')).toBe(accountId);
    expect(landed.searchParams.get('signed_in_as')).toBe('someone_else');
    expect(landed.searchParams.get('existing')).toBeNull();
    // No free text in the URL (anyone can craft one): the page words it; the log has the details.
    expect(landed.searchParams.get('message')).toBeNull();
    // The account is as it was: same tokens, still waiting for its seller; no second one.
    expect(await readTokenRow(h().ctx.db, accountId)).toEqual(before);
    expect(await accountsNamed('Peak Gear')).toEqual([
      expect.objectContaining({ id: accountId, status: 'needs_reconnect' }),
    ]);
    const others = await queryRows(
      h().ctx.db,
      sql`select a.id from ebay_accounts a where a.ebay_username = 'someone_else'`,
      z.object({ id: z.string() }),
    );
    expect(others).toEqual([]);
    const [failed] = await queryRows(
      h().ctx.db,
      sql`select account_id, error from ebay_connect_logs where action = 'connect_failed' order by id desc limit 1`,
      z.object({ account_id: z.string().nullable(), error: z.looseObject({ code: z.string() }) }),
    );
    expect(failed).toMatchObject({
      account_id: accountId,
      error: {
        code: 'wrong_seller',
        message:
          `You signed in at eBay as someone_else, but Peak Gear (production) is eBay user ${grant.username}. ` +
          `Nothing was stored: Peak Gear is unchanged and someone_else's grant was discarded. ` +
          `Reconnect again and sign in as ${grant.username}.`,
      },
    });
  });

  it('names the org’s account of the seller who signed in, and leaves that one alone too', async () => {
    const { accountId } = await brokenAccount('River Books');
    const other = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId, houseName: 'Lake Books' });
    const otherBefore = await readTokenRow(h().ctx.db, other.accountId);
    const landed = await callback(
      h().app,
      admin,
      await consent(h().sim, await startReconnect(accountId), {
        action: 'agree',
        seller: other.grant.user_id,
      }),
      texts,
    );
    expect(landed.searchParams.get('connect_error')).toBe('wrong_seller');
    expect(landed.searchParams.get('existing')).toBe(other.accountId);
    expect(await readTokenRow(h().ctx.db, other.accountId)).toEqual(otherBefore);
  });

  it('refuses to start a reconnect of another org’s account (404) or of a removed one (409)', async () => {
    const stranger = await signedInClient(h());
    const theirs = await buildAccount(h().ctx, h().sim, { orgId: stranger.orgId });
    const res = await admin.post('/api/admin/ebay/connect/start', { ebay_account_id: theirs.accountId });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    const mine = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    expect((await admin.post(`/api/admin/ebay/accounts/${mine.accountId}/remove`)).statusCode).toBe(200);
    const removed = await admin.post('/api/admin/ebay/connect/start', { ebay_account_id: mine.accountId });
    expect(removed.statusCode).toBe(409);
    expect(removed.json().error.code).toBe('account_removed');
  });

  it('a reconnect started before its account was removed can no longer complete', async () => {
    const { accountId, grant } = await brokenAccount('Gone Soon');
    const path = await consent(h().sim, await startReconnect(accountId), {
      action: 'agree',
      seller: grant.user_id,
    });
    expect((await admin.post(`/api/admin/ebay/accounts/${accountId}/remove`)).statusCode).toBe(200);
    const landed = await callback(h().app, admin, path, texts);
    expect(landed.searchParams.get('connect_error')).toBe('invalid_state');
    const [row] = await queryRows(
      h().ctx.db,
      sql`select status, (select count(*)::int from ebay_tokens where account_id = ${accountId}) as tokens
          from ebay_accounts where id = ${accountId}`,
      z.object({ status: z.string(), tokens: z.number() }),
    );
    expect(row).toEqual({ status: 'removed', tokens: 0 });
  });

  it('a new connection still needs its environment and house name', async () => {
    const res = await admin.post('/api/admin/ebay/connect/start', {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/environment is required/);
  });
});
