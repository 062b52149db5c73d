import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { anyRow } from '../db/rows.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, expectNoSecrets, signedInClient, useHarness } from '../test/harness.ts';

describeEachDb('refresh-debug, manual refresh, token-info, refresh-log', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  const bodies: string[] = [];
  beforeAll(async () => {
    admin = await signedInClient(h());
  });
  beforeEach(() => h().sim.control.reset());
  afterAll(async () => {
    // Nothing any of these answers or log rows hold may be a full token, code or the secret.
    const rows = await queryRows(h().ctx.db, sql`select * from ebay_connect_logs`, anyRow);
    expectNoSecrets(h().sim, [...bodies, ...rows.map((r) => JSON.stringify(r))]);
  });
  const debug = async (accountId: string) => {
    const res = await admin.post('/api/admin/ebay/token/refresh-debug', { ebay_account_id: accountId });
    bodies.push(res.body);
    return res;
  };

  it('debug-refreshes a healthy account and returns the whole masked exchange', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    const res = await debug(accountId);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ environment: 'production', success: true, error: null, diagnosis: null });
    expect(body.request.method).toBe('POST');
    expect(body.request.url).toMatch(/\/identity\/v1\/oauth2\/token$/);
    expect(body.request.headers.Authorization).toMatch(new RegExp(`^Basic ${h().sim.clientId}:\\*+$`));
    expect(body.request.body).toMatch(/grant_type=refresh_token&refresh_token=v\^1\.1#.{2}…/);
    expect(body.response.status_code).toBe(200);
    expect(body.response.body).toContain('"access_token"');
    expect(Date.parse(body.access_token_expires_at)).toBeGreaterThan(Date.now());
    const logs = await queryRows(
      h().ctx.db,
      sql`select action, source from ebay_connect_logs where account_id = ${accountId}`,
      z.looseObject({ action: z.string(), source: z.string() }),
    );
    expect(logs).toEqual([{ action: 'token_refresh_debug', source: 'debug' }]);
    // The terminal shows the stored transcript the same way (masking it again must not garble it).
    const terminal = await admin.get(`/api/admin/ebay/tokens/terminal-logs?ebay_account_id=${accountId}`);
    bodies.push(terminal.body);
    const [entry] = terminal.json().entries;
    expect(entry.request).toEqual(body.request);
    expect(entry.response).toEqual(body.response);
  });

  it('shows eBay invalid_grant for a revoked account, with the response', async () => {
    const { accountId, grant } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    h().sim.control.revokeUser(grant.user_id);
    const body = (await debug(accountId)).json();
    expect(body).toMatchObject({ success: false, error: 'invalid_grant' });
    expect(body.response.status_code).toBe(400);
    expect(body.response.body).toContain('invalid_grant');
    expect(body.request).not.toBeNull();
  });

  it('stops an undecryptable account before HTTP: request and response null, the diagnosis as the error', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, {
      orgId: admin.orgId,
      brokenRefreshToken: 'unknown_key_id',
    });
    const calls = h().sim.control.counters().tokenCalls;
    const body = (await debug(accountId)).json();
    expect(body).toMatchObject({
      success: false,
      error: 'decrypt_failed',
      diagnosis: 'unknown_key_id',
      request: null,
      response: null,
    });
    expect(body.error_description).toContain('retired2024');
    expect(h().sim.control.counters().tokenCalls).toBe(calls);
  });

  it('limits debug refreshes to 6 a minute per account', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    const other = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    for (let i = 0; i < 6; i++) expect((await debug(accountId)).statusCode).toBe(200);
    const limited = await debug(accountId);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect((await debug(other.accountId)).statusCode).toBe(200);
  });

  it('counts every spelling of one account id against one limit', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    const upper = accountId.toUpperCase();
    const mixed = [...accountId].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    const spellings = [accountId, upper, mixed, upper.replace(/^./, (c) => c.toLowerCase())];
    const callsBefore = h().sim.control.counters().tokenCalls;
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await debug(spellings[i % 4]!)).statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(6);
    expect(codes.filter((c) => c === 429)).toHaveLength(6);
    expect(h().sim.control.counters().tokenCalls - callsBefore).toBe(6);
    const manual = async (id: string) =>
      (await admin.post(`/api/admin/ebay/accounts/${id}/refresh`)).statusCode;
    for (let i = 0; i < 6; i++) expect(await manual(i % 2 ? upper : accountId)).toBe(200);
    expect(await manual(mixed)).toBe(429);
  });

  it('refreshes manually (source manual) and lists the attempts in the refresh log, newest first', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    const ok = await admin.post(`/api/admin/ebay/accounts/${accountId}/refresh`);
    bodies.push(ok.body);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ success: true, error: null });
    h().sim.control.failNext('5xx');
    const failed = (await admin.post(`/api/admin/ebay/accounts/${accountId}/refresh`)).json();
    expect(failed).toMatchObject({ success: false, error: 'ebay_unavailable' });
    const log = await admin.get(`/api/admin/ebay/accounts/${accountId}/refresh-log`);
    expect(log.statusCode).toBe(200);
    const rows = log.json().logs;
    expect(rows.map((r: { success: boolean; triggered_by: string }) => [r.success, r.triggered_by])).toEqual([
      [false, 'manual'],
      [true, 'manual'],
    ]);
    expect(rows[0].error_code).toBe('ebay_unavailable');
    expect(
      (await admin.get(`/api/admin/ebay/accounts/${accountId}/refresh-log?limit=1`)).json().logs,
    ).toHaveLength(1);
  });

  it('shows masked token facts with the decrypt verdict, and logs the view', async () => {
    const healthy = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    const broken = await buildAccount(h().ctx, h().sim, {
      orgId: admin.orgId,
      brokenRefreshToken: 'double_encrypted',
    });
    const res = await admin.post(`/api/admin/ebay/accounts/${healthy.accountId}/token-info`);
    bodies.push(res.body);
    expect(res.statusCode).toBe(200);
    const info = res.json();
    expect(info.refresh_token).toMatchObject({ decrypt: 'ok', key_id: 'test1' });
    expect(info.refresh_token.masked).toMatch(/^v\^1\.1#.{2}….{4}$/);
    expect(info.access_token).toMatchObject({ present: true, decrypt: 'ok' });
    expect(info.scopes.length).toBeGreaterThan(0);
    const brokenInfo = (await admin.post(`/api/admin/ebay/accounts/${broken.accountId}/token-info`)).json();
    expect(brokenInfo.refresh_token.decrypt).toBe('double_encrypted');
    expect(brokenInfo.refresh_token.masked.startsWith('ENC:v1:test1:')).toBe(true);
    const logs = await admin.get(`/api/admin/ebay/tokens/logs?ebay_account_id=${healthy.accountId}`);
    expect(logs.json().logs).toEqual([
      expect.objectContaining({
        action: 'token_info_viewed',
        source: 'manual',
        ebay_account_id: healthy.accountId,
      }),
    ]);
  });

  it('writes no token_info_viewed for a GET or a cross-site POST; only the UI’s POST writes one', async () => {
    const { accountId } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    const url = `/api/admin/ebay/accounts/${accountId}/token-info`;
    const views = async () =>
      (await admin.get(`/api/admin/ebay/tokens/logs?ebay_account_id=${accountId}`))
        .json()
        .logs.filter((l: { action: string }) => l.action === 'token_info_viewed').length;
    // What a link or an <img> on another site makes the victim's browser send.
    const linked = await admin.get(url, { referer: 'https://evil.example/page' });
    expect(linked.statusCode).toBe(404);
    const forged = await admin.post(url, {}, { origin: 'https://evil.example' });
    expect(forged.statusCode).toBe(403);
    const formPost = await admin.post(url, {}, { 'content-type': 'text/plain' });
    expect(formPost.statusCode).toBe(415);
    expect(await views()).toBe(0);
    expect((await admin.post(url)).statusCode).toBe(200);
    expect(await views()).toBe(1);
  });

  it('lets a viewer read but not refresh, debug or connect (403)', async () => {
    const viewer = await signedInClient(h(), { orgId: admin.orgId, role: 'viewer' });
    const { accountId } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    expect((await viewer.get(`/api/admin/ebay/accounts/${accountId}/refresh-log`)).statusCode).toBe(200);
    expect((await viewer.post(`/api/admin/ebay/accounts/${accountId}/token-info`)).statusCode).toBe(200);
    const denied = [
      await viewer.post('/api/admin/ebay/token/refresh-debug', { ebay_account_id: accountId }),
      await viewer.post(`/api/admin/ebay/accounts/${accountId}/refresh`),
      await viewer.post('/api/admin/ebay/connect/start', { environment: 'production', house_name: 'X' }),
    ];
    for (const res of denied) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
  });
});
