import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { anyRow, dbNumber } from '../db/rows.ts';
import { CALLBACK, callback as callbackAt, consent as consentAt } from '../test/connectFlow.ts';
import { describeEachDb } from '../test/db.ts';
import { type Client, expectNoSecrets, PUBLIC_URL, signedInClient, useHarness } from '../test/harness.ts';

const CALLBACK_PATH = '/api/ebay/oauth/callback';

describeEachDb('connect flow against the simulator', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  const texts: string[] = [];
  beforeAll(async () => {
    admin = await signedInClient(h());
    h().sim.control.setRedirectUrls(CALLBACK);
  });
  beforeEach(() => h().sim.control.reset());
  afterAll(async () => {
    const rows = await queryRows(h().ctx.db, sql`select * from ebay_connect_logs`, anyRow);
    expectNoSecrets(h().sim, [...texts, ...rows.map((r) => JSON.stringify(r))]);
  });

  async function start(client: Client, houseName = 'Corner Shop'): Promise<string> {
    const res = await client.post('/api/admin/ebay/connect/start', {
      environment: 'production',
      house_name: houseName,
    });
    texts.push(res.body);
    expect(res.statusCode).toBe(200);
    return res.json().authorize_url;
  }

  const consent = (authorizeUrl: string, form: Record<string, string>) =>
    consentAt(h().sim, authorizeUrl, form);
  const callback = (client: Client | null, path: string) => callbackAt(h().app, client, path, texts);

  async function actionsSince(id: number) {
    return queryRows(
      h().ctx.db,
      sql`select action, error, account_id from ebay_connect_logs where id > ${id} and org_id = ${admin.orgId} order by id`,
      z.looseObject({
        action: z.string(),
        error: z.looseObject({ code: z.string() }).nullable(),
        account_id: z.string().nullable(),
      }),
    );
  }
  async function lastLogId(): Promise<number> {
    const [row] = await queryRows(
      h().ctx.db,
      sql`select max(id) as max from ebay_connect_logs`,
      z.looseObject({ max: dbNumber.nullable() }),
    );
    return Number(row?.max ?? 0);
  }

  it('connects a new seller end to end, then a reconnect updates the same account', async () => {
    const before = await lastLogId();
    const url = await start(admin, 'Corner Shop');
    expect(url).toContain('redirect_uri=');
    expect(url).toContain('prompt=login');
    const landed = await callback(
      admin,
      await consent(url, { action: 'agree', new_username: 'corner_shop' }),
    );
    expect(landed.origin + landed.pathname).toBe(`${PUBLIC_URL}/accounts`);
    const accountId = landed.searchParams.get('connected')!;
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);

    const accounts = (await admin.get('/api/admin/ebay/accounts')).json().accounts;
    expect(accounts).toEqual([
      expect.objectContaining({
        id: accountId,
        house_name: 'Corner Shop',
        ebay_username: 'corner_shop',
        status: 'active',
      }),
    ]);
    const logs = await actionsSince(before);
    expect(logs.map((l) => l.action)).toEqual(['connect_started', 'token_exchanged', 'connect_completed']);
    expect(logs[2]!.account_id).toBe(accountId);
    const terminal = (await admin.get('/api/admin/ebay/tokens/terminal-logs?kind=connect')).json();
    texts.push(JSON.stringify(terminal));
    const exchanged = terminal.entries.find((e: { action: string }) => e.action === 'token_exchanged');
    expect(exchanged.request.body).toMatch(/grant_type=authorization_code&code=v\^1\.1#.{2}…/);
    expect(exchanged.response.body).toMatch(/"refresh_token": "v\^1\.1#.{2}….{4}"/);

    const seller = h()
      .sim.control.sellers()
      .find((s) => s.username === 'corner_shop')!;
    h().sim.control.revokeUser(seller.userId);
    const again = await callback(
      admin,
      await consent(await start(admin, 'Corner Shop (renamed)'), { action: 'agree', seller: seller.userId }),
    );
    expect(again.searchParams.get('connected')).toBe(accountId);
    const refreshed = (await admin.post(`/api/admin/ebay/accounts/${accountId}/refresh`)).json();
    expect(refreshed.success).toBe(true);
    expect((await admin.get('/api/admin/ebay/accounts')).json().accounts).toHaveLength(1);
  });

  it('ends a declined consent on the accounts page with connect_error=access_denied', async () => {
    const before = await lastLogId();
    const landed = await callback(admin, await consent(await start(admin), { action: 'decline' }));
    expect(landed.pathname).toBe('/accounts');
    expect(landed.searchParams.get('connect_error')).toBe('access_denied');
    expect(landed.searchParams.get('message')).toBeNull();
    const logs = await actionsSince(before);
    expect(logs.map((l) => [l.action, l.error?.code ?? null])).toEqual([
      ['connect_started', null],
      ['connect_failed', 'access_denied'],
    ]);
  });

  it('refuses a replayed state, a state from another session, and a callback without a session', async () => {
    const path = await consent(await start(admin), { action: 'agree', new_username: 'replay_shop' });
    const intruder = await signedInClient(h());
    expect((await callback(intruder, path)).searchParams.get('connect_error')).toBe('invalid_state');
    expect((await callback(null, path)).searchParams.get('connect_error')).toBe('invalid_state');
    // The foreign attempts did not burn the state: its owner still completes, exactly once.
    expect((await callback(admin, path)).searchParams.get('connected')).toBeTruthy();
    const replay = await callback(admin, path);
    expect(replay.searchParams.get('connect_error')).toBe('invalid_state');
    expect(
      (await callback(admin, '/api/ebay/oauth/callback?code=abc')).searchParams.get('connect_error'),
    ).toBe('invalid_state');
  });

  it('redirects a malformed callback (repeated state, 300-character state, 8 KB code) with invalid_request', async () => {
    const path = await consent(await start(admin), { action: 'agree', new_username: 'malformed_shop' });
    const state = new URL(path, PUBLIC_URL).searchParams.get('state')!;
    const malformed = [
      `${CALLBACK_PATH}?state=${state}&state=${state}&code=abc`,
      `${CALLBACK_PATH}?state=${'s'.repeat(300)}&code=abc`,
      `${CALLBACK_PATH}?state=${state}&code=${'c'.repeat(8200)}`,
    ];
    for (const url of malformed) {
      const landed = await callback(admin, url);
      expect(landed.origin + landed.pathname).toBe(`${PUBLIC_URL}/accounts`);
      expect([...landed.searchParams]).toEqual([['connect_error', 'invalid_request']]);
    }
    // None of them consumed the state: its owner still completes.
    expect((await callback(admin, path)).searchParams.get('connected')).toBeTruthy();
  });

  it('refuses a 900 KB username from eBay (invalid_identity): nothing stored whole, the log says why', async () => {
    const before = await lastLogId();
    const huge = 'u'.repeat(900 * 1024);
    const landed = await callback(
      admin,
      await consent(await start(admin, 'Huge Name'), { action: 'agree', new_username: huge }),
    );
    expect(landed.searchParams.get('connect_error')).toBe('invalid_identity');
    const list = await admin.get('/api/admin/ebay/accounts');
    expect(list.json().accounts.map((a: { house_name: string }) => a.house_name)).not.toContain('Huge Name');
    const [failed] = await queryRows(
      h().ctx.db,
      sql`select error, length(response::text) as response_chars from ebay_connect_logs
          where id > ${before} and action = 'connect_failed'`,
      z.object({ error: z.looseObject({ code: z.string(), message: z.string() }), response_chars: dbNumber }),
    );
    expect(failed!.error).toMatchObject({
      code: 'invalid_identity',
      message: expect.stringContaining(`username of ${huge.length} characters (at most 64`),
    });
    // The transcript of eBay's answer is kept, cut at 32 KB and marked so.
    expect(Number(failed!.response_chars)).toBeLessThan(40 * 1024);
    const terminal = await admin.get('/api/admin/ebay/tokens/terminal-logs?kind=connect&limit=5');
    expect(terminal.body.length).toBeLessThan(200 * 1024);
    expect(terminal.statusCode).toBe(200);
    expect(terminal.body).toMatch(/characters in all\]/);
  });

  it('refuses a state older than 10 minutes', async () => {
    const path = await consent(await start(admin), { action: 'agree', new_username: 'slow_shop' });
    h().ctx.clock.advance(11 * 60 * 1000);
    try {
      expect((await callback(admin, path)).searchParams.get('connect_error')).toBe('state_expired');
    } finally {
      h().ctx.clock.real();
    }
  });

  it.each([
    ['invalid_grant', 'invalid_grant'],
    ['5xx', 'ebay_unavailable'],
    ['invalid_client', 'invalid_client'],
  ] as const)(
    'ends an eBay %s on the code exchange on the accounts page, logged with the transcript',
    async (kind, code) => {
      const path = await consent(await start(admin), { action: 'agree', new_username: `err_${kind}` });
      const before = await lastLogId();
      h().sim.control.failNext(kind);
      const landed = await callback(admin, path);
      expect(landed.searchParams.get('connect_error')).toBe(code);
      const [failed] = await queryRows(
        h().ctx.db,
        sql`select action, response, error from ebay_connect_logs where id > ${before}`,
        z.looseObject({
          action: z.string(),
          response: z.looseObject({ status_code: dbNumber }).nullable(),
          error: z.looseObject({ code: z.string() }),
        }),
      );
      expect(failed).toMatchObject({ action: 'connect_failed', error: { code } });
      expect(failed!.response?.status_code).toBeGreaterThanOrEqual(400);
    },
  );

  it('refuses to start a connection for an environment the credentials do not serve', async () => {
    const { ctx } = h();
    const simulated = ctx.ebay.simulated;
    ctx.ebay.simulated = false;
    try {
      const res = await admin.post('/api/admin/ebay/connect/start', {
        environment: 'sandbox',
        house_name: 'X',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('environment_not_configured');
    } finally {
      ctx.ebay.simulated = simulated;
    }
  });
  it("refuses a house name with control characters, which would forge lines in operators' terminals", async () => {
    for (const house_name of ['Shop\r\nsource=scheduled token_refreshed', 'Shop\x1b[2J', 'Shop\u202emoc']) {
      const res = await admin.post('/api/admin/ebay/connect/start', {
        environment: 'production',
        house_name,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('house_name must not contain control characters');
    }
    const ok = await admin.post('/api/admin/ebay/connect/start', {
      environment: 'production',
      house_name: 'Café Münster 日本',
    });
    expect(ok.statusCode).toBe(200);
  });
});
