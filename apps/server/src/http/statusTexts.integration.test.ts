import { sql } from 'drizzle-orm';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, signedInClient, useHarness } from '../test/harness.ts';
import { runTokenRefreshCycle } from '../workers/tokenRefreshWorker.ts';

/** Issue 16, defect 4: one vocabulary of states and causes, whichever page asks. */
describeEachDb('status texts agree', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  let other: Client;
  beforeAll(async () => {
    admin = await signedInClient(h());
    other = await signedInClient(h());
  });

  it('the Accounts list, the Workers table and its counts say the same state and cause', async () => {
    const due = { orgId: admin.orgId, accessExpiresInSeconds: 60 };
    const scopes = h().ctx.ebay.scopes.slice(0, 1);
    const partial = await buildAccount(h().ctx, h().sim, { ...due, houseName: 'Partial Scopes', scopes });
    const revoked = await buildAccount(h().ctx, h().sim, { ...due, houseName: 'Revoked Seller' });
    const fine = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId, houseName: 'Fine Store' });
    h().sim.control.revokeUser(revoked.grant.user_id);
    await runTokenRefreshCycle(h().ctx);

    const listed = (await admin.get('/api/admin/ebay/accounts')).json().accounts;
    const status = (await admin.get('/api/admin/ebay/tokens/status')).json();
    const stateIn = (rows: { id?: string; ebay_account_id?: string; state: string }[], id: string) =>
      rows.find((r) => (r.id ?? r.ebay_account_id) === id)?.state;
    const expected = [
      [partial.accountId, 'failing'],
      [revoked.accountId, 'needs_reconnect'],
      [fine.accountId, 'healthy'],
    ] as const;
    for (const [id, state] of expected) {
      expect(stateIn(listed, id)).toBe(state);
      expect(stateIn(status.accounts, id)).toBe(state);
    }

    // Each breakdown adds up to the badge it stands beside.
    const sum = (codes: Record<string, number>) => Object.values(codes).reduce((a, b) => a + b, 0);
    expect(status.failing_by_code).toEqual({ missing_scopes: 1 });
    expect(sum(status.failing_by_code)).toBe(status.counts.failing);
    expect(status.needs_reconnect_by_code).toEqual({ invalid_grant: 1 });
    expect(sum(status.needs_reconnect_by_code)).toBe(status.counts.needs_reconnect);

    // The code is shown beside the message: the message does not say it again.
    const row = status.accounts.find(
      (r: { ebay_account_id: string }) => r.ebay_account_id === revoked.accountId,
    );
    expect(row.last_error_code).toBe('invalid_grant');
    expect(row.last_error_message).not.toMatch(/invalid_grant/);

    // Rows written before the fix read "invalid_grant: …": shown without the code a second time.
    await h().ctx.db.execute(
      sql`update ebay_tokens set last_error_message = 'invalid_grant: the grant was revoked' where account_id = ${revoked.accountId}`,
    );
    await h().ctx.db.execute(
      sql`update ebay_token_refresh_logs set error_message = 'invalid_grant: the grant was revoked' where account_id = ${revoked.accountId}`,
    );
    const again = (
      await admin.get(`/api/admin/ebay/tokens/status?ebay_account_id=${revoked.accountId}`)
    ).json();
    expect(again.accounts[0].last_error_message).toBe('the grant was revoked');
    const log = (await admin.get(`/api/admin/ebay/accounts/${revoked.accountId}/refresh-log`)).json();
    expect(log.logs[0]).toMatchObject({
      error_code: 'invalid_grant',
      error_message: 'the grant was revoked',
    });

    // Another org sees none of it.
    const theirs = (await other.get('/api/admin/ebay/accounts')).json().accounts;
    expect(theirs.map((a: { id: string }) => a.id)).not.toContain(partial.accountId);
    expect((await other.get('/api/admin/ebay/tokens/status')).json().counts).toEqual({});
  });
});
