import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { dbDateOrNull } from '../db/rows.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, signedInClient, useHarness } from '../test/harness.ts';
import { runTokenRefreshCycle } from '../workers/tokenRefreshWorker.ts';

/** Issue 16: accounts you can manage (disable, enable, remove) and the account page's answer. */
describeEachDb('account management and the account page', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  let viewer: Client;
  beforeAll(async () => {
    admin = await signedInClient(h());
    viewer = await signedInClient(h(), { orgId: admin.orgId, role: 'viewer' });
  });

  const detail = async (id: string, client = admin) => client.get(`/api/admin/ebay/accounts/${id}`);
  const connectLog = (accountId: string) =>
    queryRows(
      h().ctx.db,
      sql`select action, summary from ebay_connect_logs where account_id = ${accountId} order by id`,
      z.object({ action: z.string(), summary: z.record(z.string(), z.unknown()).nullable() }),
    );

  const lastRefreshAt = async (accountId: string) => {
    const [row] = await queryRows(
      h().ctx.db,
      sql`select last_refresh_at from ebay_tokens where account_id = ${accountId}`,
      z.object({ last_refresh_at: dbDateOrNull }),
    );
    return row?.last_refresh_at ?? null;
  };

  it('answers the account page: token state, scopes granted and missing, the refresh policy', async () => {
    const scopes = h().ctx.ebay.scopes.slice(0, 2);
    const { accountId, grant } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId, scopes });
    const res = await detail(accountId, viewer);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.account).toMatchObject({ id: accountId, ebay_user_id: grant.user_id, status: 'active' });
    expect(body.token_status).toMatchObject({ ebay_account_id: accountId, state: 'healthy' });
    expect(body.granted_scopes).toEqual(scopes);
    expect(body.missing_scopes).toEqual(h().ctx.ebay.scopes.slice(2));
    expect(body.refresh_policy).toEqual({
      kind: 'default',
      interval_seconds: h().ctx.env.TOKEN_REFRESH_INTERVAL_SECONDS,
      threshold_seconds: h().ctx.env.TOKEN_REFRESH_THRESHOLD_SECONDS,
      jitter_seconds: expect.any(Number),
      policy: null,
      effective_policy: 'auto',
      warm: true,
    });
    expect(body.last_used_at).toBeNull();
  });

  it('disable stops the worker from refreshing it; enable brings it back, each logged with who', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, {
      orgId: admin.orgId,
      accessExpiresInSeconds: 60, // due at once
    });
    const disabled = await admin.post(`/api/admin/ebay/accounts/${accountId}/disable`);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().account).toMatchObject({
      status: 'disabled',
      status_reason: `disabled by ${admin.user.email}`,
    });
    // Asking twice changes nothing and logs nothing more.
    expect((await admin.post(`/api/admin/ebay/accounts/${accountId}/disable`)).statusCode).toBe(200);
    await runTokenRefreshCycle(h().ctx);
    expect(await lastRefreshAt(accountId)).toBeNull();
    expect((await detail(accountId)).json().token_status.state).toBe('disabled');

    const enabled = await admin.post(`/api/admin/ebay/accounts/${accountId}/enable`);
    expect(enabled.json().account).toMatchObject({ status: 'active', status_reason: null });
    await runTokenRefreshCycle(h().ctx);
    expect(await lastRefreshAt(accountId)).not.toBeNull();
    expect((await connectLog(accountId)).filter((l) => l.action.startsWith('account_'))).toEqual([
      { action: 'account_disabled', summary: { by: admin.user.email, previous_status: 'active' } },
      { action: 'account_enabled', summary: { by: admin.user.email, previous_status: 'disabled' } },
    ]);
  });

  it('enable refuses an account that is not disabled', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    await h().ctx.db.execute(
      sql`update ebay_accounts set status = 'needs_reconnect' where id = ${accountId}`,
    );
    const res = await admin.post(`/api/admin/ebay/accounts/${accountId}/enable`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('not_disabled');
  });

  it('remove erases the tokens and takes it off every list; its history still reads', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, {
      orgId: admin.orgId,
      houseName: 'Extra Summit',
    });
    expect((await admin.post(`/api/admin/ebay/accounts/${accountId}/refresh`)).json().success).toBe(true);
    const removed = await admin.post(`/api/admin/ebay/accounts/${accountId}/remove`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().account.status).toBe('removed');

    const [tokens] = await queryRows(
      h().ctx.db,
      sql`select count(*)::int as n from ebay_tokens where account_id = ${accountId}`,
      z.object({ n: z.number() }),
    );
    expect(tokens!.n).toBe(0);
    const ids = (list: { id?: string; ebay_account_id?: string }[]) =>
      list.map((a) => a.id ?? a.ebay_account_id);
    expect(ids((await admin.get('/api/admin/ebay/accounts')).json().accounts)).not.toContain(accountId);
    const status = (await admin.get('/api/admin/ebay/tokens/status')).json();
    expect(ids(status.accounts)).not.toContain(accountId);
    const doctor = (await admin.get('/api/admin/ebay/tokens/doctor')).json();
    expect(doctor.accounts.map((a: { ebay_account_id: string }) => a.ebay_account_id)).not.toContain(
      accountId,
    );

    // Still explainable: the page, the refresh log and the terminal name it.
    const page = (await detail(accountId)).json();
    expect(page.account).toMatchObject({
      status: 'removed',
      status_reason: `removed by ${admin.user.email}`,
    });
    expect(page.token_status).toBeNull();
    expect((await admin.get(`/api/admin/ebay/accounts/${accountId}/refresh-log`)).json().logs).toHaveLength(
      1,
    );
    const terminal = (
      await admin.get(`/api/admin/ebay/tokens/terminal-logs?kind=all&ebay_account_id=${accountId}`)
    ).json();
    expect(
      terminal.entries.map((e: { action: string; house_name: string }) => [e.action, e.house_name]),
    ).toEqual([
      ['account_removed', 'Extra Summit'],
      ['token_refreshed', 'Extra Summit'],
    ]);
    expect(terminal.entries[0].summary).toEqual({
      by: admin.user.email,
      previous_status: 'active',
      tokens_erased: true,
    });
    // Nothing more to do with it but read it.
    expect((await admin.post(`/api/admin/ebay/accounts/${accountId}/disable`)).json().error.code).toBe(
      'account_removed',
    );
    expect(
      (await admin.post(`/api/admin/ebay/accounts/${accountId}/refresh`)).statusCode,
    ).toBeGreaterThanOrEqual(400);
  });

  it('viewers may read the page but not change an account; another org’s id is a 404', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    for (const change of ['disable', 'enable', 'remove']) {
      const res = await viewer.post(`/api/admin/ebay/accounts/${accountId}/${change}`);
      expect(res.statusCode).toBe(403);
    }
    const stranger = await signedInClient(h());
    for (const change of ['disable', 'enable', 'remove']) {
      const res = await stranger.post(`/api/admin/ebay/accounts/${accountId}/${change}`);
      expect(res.statusCode).toBe(404);
    }
    expect((await detail(accountId, stranger)).statusCode).toBe(404);
    expect((await detail(accountId)).json().account.status).toBe('active');
  });
});
