import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { createTestContext, type TestContext } from '../test/appContext.ts';
import { captureLogger } from '../test/captureLogger.ts';
import { describeEachDb, type TestDatabase } from '../test/db.ts';
import { buildAccount, buildOrg, buildUser } from '../test/factories.ts';
import {
  type Client,
  clientFor,
  expectNoSecrets,
  login,
  PUBLIC_URL,
  sessionCookieOf,
} from '../test/harness.ts';
import { waitFor } from '../test/waitFor.ts';
import { buildHttpApp } from './app.ts';

/** Issue 11: API keys (Admin API) and the service API they authenticate (`/api/v1`). */

interface Setup {
  ctx: TestContext;
  sim: EbaySim;
  app: FastifyInstance;
  logs: ReturnType<typeof captureLogger>;
}

function useApp(getDb: () => TestDatabase, env: Record<string, string> = {}): () => Setup {
  let setup: Setup | undefined;
  beforeAll(async () => {
    const sim = await startEbaySim();
    const logs = captureLogger();
    const ctx = createTestContext(getDb(), sim, { env });
    ctx.logger = logs.logger;
    const app = await buildHttpApp(ctx, { publicUrl: PUBLIC_URL });
    await app.ready();
    setup = { ctx, sim, app, logs };
  });
  afterAll(async () => {
    await setup?.app.close();
    await setup?.sim.close();
  });
  return () => setup!;
}

async function signIn(s: Setup, orgId: string, role: 'admin' | 'viewer'): Promise<Client> {
  const user = await buildUser(s.ctx.db, { orgId, role });
  return clientFor(s.app, sessionCookieOf(await login(s.app, user.email, user.password)), user, orgId);
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describeEachDb('API keys and the service API', (getDb) => {
  const s = useApp(getDb);
  let admin: Client;
  let viewer: Client;
  let otherAdmin: Client;
  let key: string;
  let keyId: string;
  const answers: string[] = [];

  const v1 = async (method: 'GET' | 'POST', url: string, k: string | null, body?: unknown) => {
    const res = await s().app.inject({
      method,
      url,
      headers: {
        ...(k ? bearer(k) : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    answers.push(res.body);
    return res;
  };
  const accessToken = (id: string, k = key, body?: unknown) =>
    v1('POST', `/api/v1/ebay/accounts/${id}/access-token`, k, body);
  const createKey = async (client: Client, body: unknown): Promise<LightMyRequestResponse> => {
    const res = await client.post('/api/admin/api-keys', body);
    answers.push(res.body);
    return res;
  };
  const revoke = (client: Client, id: string) =>
    s().app.inject({
      method: 'DELETE',
      url: `/api/admin/api-keys/${id}`,
      headers: { cookie: client.cookie, origin: PUBLIC_URL, 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    const org = await buildOrg(s().ctx.db);
    admin = await signIn(s(), org.id, 'admin');
    viewer = await signIn(s(), org.id, 'viewer');
    otherAdmin = await signIn(s(), (await buildOrg(s().ctx.db)).id, 'admin');
    const created = await createKey(admin, { name: 'order sync', scopes: ['tokens'] });
    expect(created.statusCode).toBe(200);
    ({ key, id: keyId } = created.json());
  });

  it('creates a key shown once, lists it without the key, and a viewer may list but not create or revoke', async () => {
    expect(key).toMatch(/^ebc_[A-Za-z0-9_-]{43}$/);
    const list = await viewer.get('/api/admin/api-keys');
    expect(list.statusCode).toBe(200);
    expect(list.json().keys).toEqual([
      {
        id: keyId,
        name: 'order sync',
        scopes: ['tokens'],
        created_at: expect.any(String),
        last_used_at: null,
        revoked_at: null,
      },
    ]);
    expect(list.body).not.toContain(key);

    const byViewer = await createKey(viewer, { name: 'nope', scopes: ['tokens'] });
    expect(byViewer.statusCode).toBe(403);
    expect((await revoke(viewer, keyId)).statusCode).toBe(403);

    const bad = await createKey(admin, { name: '  ', scopes: ['admin'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/name|scopes/);
    expect((await createKey(admin, { name: 'x', scopes: [] })).statusCode).toBe(400);
  });

  it('stores only the hash: the key is nowhere in the database nor in the logs', async () => {
    const [row] = await queryRows(
      s().ctx.db,
      sql`select key_hash, key_prefix from api_keys where id = ${keyId}`,
      z.object({ key_hash: z.string(), key_prefix: z.string() }),
    );
    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.key_prefix).toBe(key.slice(4, 12));
    await v1('GET', '/api/v1/ebay/accounts', key);
    const tables = await queryRows(
      s().ctx.db,
      sql`select table_name from information_schema.tables where table_schema = 'public'`,
      z.object({ table_name: z.string() }),
    );
    for (const { table_name } of tables) {
      const rows = await queryRows(
        s().ctx.db,
        sql`select t::text as row from ${sql.identifier(table_name)} t`,
        z.object({ row: z.string() }),
      );
      for (const r of rows) expect(r.row, table_name).not.toContain(key.slice(4));
    }
    const logText = JSON.stringify(s().logs.lines());
    expect(logText).toContain('/api/v1/ebay/accounts');
    expect(logText).not.toContain(key.slice(4));
  });

  it("lists only the key's org's accounts, with filters checked", async () => {
    const mine = await buildAccount(s().ctx, s().sim, { orgId: admin.orgId, houseName: 'A shop' });
    await buildAccount(s().ctx, s().sim, {
      orgId: admin.orgId,
      houseName: 'B sandbox',
      environment: 'sandbox',
    });
    await buildAccount(s().ctx, s().sim, { orgId: otherAdmin.orgId, houseName: 'Not mine' });
    const res = await v1('GET', '/api/v1/ebay/accounts?env=production', key);
    expect(res.statusCode).toBe(200);
    expect(res.json().accounts).toEqual([
      {
        ebay_account_id: mine.accountId,
        house_name: 'A shop',
        environment: 'production',
        ebay_user_id: mine.grant.user_id,
        ebay_username: mine.grant.username,
        status: 'active',
        scopes: expect.arrayContaining(['https://api.ebay.com/oauth/api_scope']),
        access_token_expires_at: expect.any(String),
      },
    ]);
    const all = await v1('GET', '/api/v1/ebay/accounts', key);
    expect(all.json().accounts.map((a: { house_name: string }) => a.house_name)).toEqual([
      'A shop',
      'B sandbox',
    ]);
    const badEnv = await v1('GET', '/api/v1/ebay/accounts?env=staging', key);
    expect(badEnv.statusCode).toBe(400);
    expect(badEnv.json().error.message).toMatch(/^env: /);
    expect((await v1('GET', '/api/v1/ebay/accounts?status=sleeping', key)).statusCode).toBe(400);
    const none = await v1('GET', '/api/v1/ebay/accounts?status=needs_reconnect', key);
    expect(none.json().accounts).toEqual([]);
  });

  it('answers 401 without a key, with a malformed or unknown key, and a session does not authenticate /api/v1', async () => {
    const missing = await v1('GET', '/api/v1/ebay/accounts', null);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error).toMatchObject({
      code: 'api_key_missing',
      message: expect.stringMatching(/Bearer/),
    });
    const malformed = await s().app.inject({
      method: 'GET',
      url: '/api/v1/ebay/accounts',
      headers: { authorization: 'Basic abc' },
    });
    expect(malformed.json().error.code).toBe('api_key_invalid');
    const unknown = await v1('GET', '/api/v1/ebay/accounts', `ebc_${'A'.repeat(43)}`);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('api_key_invalid');
    const withSession = await admin.get('/api/v1/ebay/accounts');
    expect(withSession.statusCode).toBe(401);
    // …and a key does not authenticate the admin API.
    const adminWithKey = await s().app.inject({
      method: 'GET',
      url: '/api/admin/api-keys',
      headers: bearer(key),
    });
    expect(adminWithKey.statusCode).toBe(401);
    expect(adminWithKey.json().error.code).toBe('api_key_not_accepted');
  });

  it("gives the stored token while valid (no eBay call); another org's or an unknown id is a 404", async () => {
    const { accountId, grant } = await buildAccount(s().ctx, s().sim, { orgId: admin.orgId });
    const before = s().sim.control.counters().tokenCalls;
    const res = await accessToken(accountId, key, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      access_token: grant.access_token,
      expires_at: expect.any(String),
      token_type: 'User Access Token',
      scopes: expect.any(Array),
    });
    expect(res.body).not.toContain(grant.refresh_token);
    // No body at all is the same as {}.
    expect((await accessToken(accountId)).statusCode).toBe(200);
    expect(s().sim.control.counters().tokenCalls).toBe(before);

    const other = await buildAccount(s().ctx, s().sim, { orgId: otherAdmin.orgId });
    const foreign = await accessToken(other.accountId);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('not_found');
    expect((await accessToken('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await accessToken('not-a-uuid')).statusCode).toBe(400);
    const tooLong = await accessToken(accountId, key, { min_valid_seconds: 3601 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toMatch(/min_valid_seconds/);

    // last_used_at on the key and the account, written off the request's path.
    await waitUsage(accountId);
  });

  const waitUsage = async (accountId: string) => {
    for (let i = 0; i < 50; i++) {
      const [row] = await queryRows(
        s().ctx.db,
        sql`select a.last_used_key_id, k.last_used_at as key_used from ebay_accounts a, api_keys k
            where a.id = ${accountId} and k.id = ${keyId}`,
        z.object({ last_used_key_id: z.string().nullable(), key_used: z.unknown() }),
      );
      if (row?.last_used_key_id === keyId && row.key_used !== null) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('last_used_at was not recorded');
  };

  it('refreshes an expiring token once for 10 concurrent callers, naming the key in the log entry', async () => {
    const { accountId, grant } = await buildAccount(s().ctx, s().sim, {
      orgId: admin.orgId,
      accessExpiresInSeconds: 120,
    });
    s().sim.control.resetCounters();
    s().sim.control.setLatency(150);
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => accessToken(accountId, key, { min_valid_seconds: 300 })),
      );
      expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
      const tokens = new Set(results.map((r) => r.json().access_token));
      expect(tokens.size).toBe(1);
      expect([...tokens][0]).not.toBe(grant.access_token);
      expect(s().sim.control.counters().refreshCalls).toBe(1);
    } finally {
      s().sim.control.setLatency(0);
    }
    const entries = await queryRows(
      s().ctx.db,
      sql`select source, action, summary from ebay_connect_logs where account_id = ${accountId} order by id`,
      z.object({ source: z.string(), action: z.string(), summary: z.unknown() }),
    );
    expect(entries).toEqual([
      {
        source: 'on_demand',
        action: 'token_refreshed',
        summary: { api_key_id: keyId, api_key_name: 'order sync' },
      },
    ]);
    expect(JSON.stringify(s().logs.lines())).toContain('access token refreshed on demand');
    // The token worker terminal names the key that caused the refresh.
    const terminal = await admin.get(
      `/api/admin/ebay/tokens/terminal-logs?kind=all&ebay_account_id=${accountId}`,
    );
    const refresh = terminal.json().entries.find((e: { source: string }) => e.source === 'on_demand');
    expect(refresh.summary).toEqual({ api_key_id: keyId, api_key_name: 'order sync' });
  });

  it('answers 409 needs_reconnect for a revoked grant or a disabled account, 503 when eBay fails', async () => {
    const revoked = await buildAccount(s().ctx, s().sim, { orgId: admin.orgId, accessExpiresInSeconds: 10 });
    s().sim.control.revokeUser(revoked.grant.user_id);
    const conflict = await accessToken(revoked.accountId);
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error).toMatchObject({
      code: 'needs_reconnect',
      details: { status: 'needs_reconnect', reason: expect.any(String) },
    });
    // The account is needs_reconnect now: no further eBay call.
    const calls = s().sim.control.counters().tokenCalls;
    expect((await accessToken(revoked.accountId)).statusCode).toBe(409);
    expect(s().sim.control.counters().tokenCalls).toBe(calls);

    const disabled = await buildAccount(s().ctx, s().sim, { orgId: admin.orgId });
    await s().ctx.db.execute(
      sql`update ebay_accounts set status = 'disabled' where id = ${disabled.accountId}`,
    );
    const off = await accessToken(disabled.accountId);
    expect(off.statusCode).toBe(409);
    expect(off.json().error.details).toEqual({ status: 'disabled', reason: 'an admin disabled the account' });

    const down = await buildAccount(s().ctx, s().sim, { orgId: admin.orgId, accessExpiresInSeconds: 10 });
    s().sim.control.failNext('5xx');
    const unavailable = await accessToken(down.accountId);
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.json().error.code).toBe('ebay_unavailable');
    expect(Number(unavailable.headers['retry-after'])).toBeGreaterThan(0);
    // eBay is back: the next call refreshes.
    expect((await accessToken(down.accountId)).statusCode).toBe(200);
  });

  it('answers 409 needs_reconnect, naming the cause, for a refresh token that cannot be decrypted', async () => {
    const broken = await buildAccount(s().ctx, s().sim, {
      orgId: admin.orgId,
      accessExpiresInSeconds: 10,
      brokenRefreshToken: 'auth_failed',
    });
    const calls = s().sim.control.counters().tokenCalls;
    const res = await accessToken(broken.accountId);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'needs_reconnect',
      details: { status: 'active', reason: expect.stringMatching(/auth_failed/) },
    });
    expect(s().sim.control.counters().tokenCalls).toBe(calls);
  });

  it('records when a key was last used, at most once a second', async () => {
    const used = (await createKey(admin, { name: 'usage', scopes: ['tokens'] })).json();
    const lastUsed = async () =>
      (await admin.get('/api/admin/api-keys')).json().keys.find((k: { id: string }) => k.id === used.id)
        .last_used_at as string | null;
    const t0 = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    s().ctx.clock.set(t0);
    try {
      await v1('GET', '/api/v1/ebay/accounts', used.key);
      await waitFor(async () => (await lastUsed()) === t0.toISOString(), 2000, 'last_used_at written');
      s().ctx.clock.advance(500);
      await v1('GET', '/api/v1/ebay/accounts', used.key);
      await new Promise((r) => setTimeout(r, 100));
      expect(await lastUsed()).toBe(t0.toISOString());
      s().ctx.clock.advance(600);
      await v1('GET', '/api/v1/ebay/accounts', used.key);
      const t1 = new Date(t0.getTime() + 1100).toISOString();
      await waitFor(async () => (await lastUsed()) === t1, 2000, 'last_used_at written again');
    } finally {
      s().ctx.clock.real();
    }
  });

  it('stops calling eBay while it keeps failing (the circuit), with Retry-After', async () => {
    const down = await buildAccount(s().ctx, s().sim, { orgId: admin.orgId, accessExpiresInSeconds: 10 });
    s().sim.control.failNext('5xx', 5);
    for (let i = 0; i < 5; i++) expect((await accessToken(down.accountId)).statusCode).toBe(503);
    const calls = s().sim.control.counters().tokenCalls;
    const open = await accessToken(down.accountId);
    expect(open.statusCode).toBe(503);
    expect(open.json().error.message).toMatch(/not calling it/);
    expect(Number(open.headers['retry-after'])).toBeGreaterThan(0);
    expect(s().sim.control.counters().tokenCalls).toBe(calls);
    s().ctx.clock.advance(31_000);
    try {
      expect((await accessToken(down.accountId)).statusCode).toBe(200);
    } finally {
      s().ctx.clock.real();
    }
  });

  it('answers 403 for a key without the scope', async () => {
    const proxyOnly = (await createKey(admin, { name: 'proxy only', scopes: ['proxy'] })).json();
    expect(proxyOnly.scopes).toEqual(['proxy']);
    const res = await v1('GET', '/api/v1/ebay/accounts', proxyOnly.key);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('api_key_scope_missing');
  });

  it('revokes: the key answers 401 at once; another org cannot revoke or see it', async () => {
    const throwaway = (await createKey(admin, { name: 'to revoke', scopes: ['tokens', 'proxy'] })).json();
    expect((await v1('GET', '/api/v1/ebay/accounts', throwaway.key)).statusCode).toBe(200);
    expect((await revoke(otherAdmin, throwaway.id)).statusCode).toBe(404);
    expect((await otherAdmin.get('/api/admin/api-keys')).json().keys).toEqual([]);
    expect((await revoke(admin, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const gone = await revoke(admin, throwaway.id);
    expect(gone.statusCode).toBe(204);
    expect(gone.body).toBe('');
    const after = await v1('GET', '/api/v1/ebay/accounts', throwaway.key);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('api_key_revoked');
    const listed = (await admin.get('/api/admin/api-keys')).json().keys;
    expect(listed.find((k: { id: string }) => k.id === throwaway.id).revoked_at).toEqual(expect.any(String));
  });

  it('is single-flight across replicas: two web apps on one database, 10 callers, one eBay call', async () => {
    const second = createTestContext(getDb(), s().sim, { instanceId: 'replica-2' });
    const replica = await buildHttpApp(second, { publicUrl: PUBLIC_URL });
    try {
      const { accountId } = await buildAccount(s().ctx, s().sim, {
        orgId: admin.orgId,
        accessExpiresInSeconds: 30,
      });
      s().sim.control.resetCounters();
      s().sim.control.setLatency(150);
      const call = (app: FastifyInstance) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/ebay/accounts/${accountId}/access-token`,
          headers: bearer(key),
        });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call(i % 2 ? replica : s().app)),
      );
      expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
      expect(new Set(results.map((r) => r.json().access_token)).size).toBe(1);
      expect(s().sim.control.counters().refreshCalls).toBe(1);
    } finally {
      s().sim.control.setLatency(0);
      await replica.close();
    }
  });

  it('documents /api/v1 in the OpenAPI document with the API key (Bearer) as its only auth', async () => {
    const doc = (await s().app.inject({ method: 'GET', url: '/api/docs' })).json();
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/ebay/accounts'].get.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/api/v1/ebay/accounts/{id}/access-token'].post.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/api/admin/api-keys/{id}'].delete.responses['204']).toBeDefined();
  });

  it('never shows a token the simulator issued in a log line, nor the refresh token in any answer', () => {
    expectNoSecrets(
      s().sim,
      s()
        .logs.lines()
        .map((l) => JSON.stringify(l)),
    );
    for (const body of answers) expect(body).not.toMatch(/refresh_token/);
  });
});

describeEachDb('API key rate limit', (getDb) => {
  const s = useApp(getDb, { API_KEY_RATE_LIMIT_PER_MINUTE: '3', API_KEY_RATE_LIMIT_SYNC_MS: '0' });
  it('answers 429 with Retry-After past the per-key limit; another key has its own', async () => {
    const org = await buildOrg(s().ctx.db);
    const admin = await signIn(s(), org.id, 'admin');
    const keyA = (await admin.post('/api/admin/api-keys', { name: 'a', scopes: ['tokens'] })).json().key;
    const keyB = (await admin.post('/api/admin/api-keys', { name: 'b', scopes: ['tokens'] })).json().key;
    const get = (k: string) =>
      s().app.inject({ method: 'GET', url: '/api/v1/ebay/accounts', headers: bearer(k) });
    for (let i = 0; i < 3; i++) {
      const res = await get(keyA);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await get(keyA);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(keyB)).statusCode).toBe(200);
  });

  it('counts one key across replicas; refusals for a missing scope or a revoked key do not count', async () => {
    // Every hit sent at once (sync 0) on the second replica, as on the first (below).
    const second = createTestContext(getDb(), s().sim, {
      instanceId: 'replica-2',
      env: { API_KEY_RATE_LIMIT_PER_MINUTE: '3', API_KEY_RATE_LIMIT_SYNC_MS: '0' },
    });
    const replica = await buildHttpApp(second, { publicUrl: PUBLIC_URL });
    try {
      const org = await buildOrg(s().ctx.db);
      const admin = await signIn(s(), org.id, 'admin');
      const key = (await admin.post('/api/admin/api-keys', { name: 'shared', scopes: ['tokens'] })).json();
      const on = (app: FastifyInstance, url = '/api/v1/ebay/accounts') =>
        app.inject({ method: 'GET', url, headers: bearer(key.key) });
      // A proxy call needs the scope this key lacks: 403, and it does not use up the window.
      const noScope = await on(replica, `/api/v1/ebay/proxy/${org.id}/sell/fulfillment/v1/order`);
      expect(noScope.statusCode).toBe(403);
      expect((await on(s().app)).statusCode).toBe(200);
      expect((await on(replica)).statusCode).toBe(200);
      expect((await on(s().app)).statusCode).toBe(200);
      const limited = await on(replica);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Revoked on one replica: 401 on the other at once, not a 429.
      const gone = await s().app.inject({
        method: 'DELETE',
        url: `/api/admin/api-keys/${key.id}`,
        headers: { cookie: admin.cookie, origin: PUBLIC_URL, 'content-type': 'application/json' },
      });
      expect(gone.statusCode).toBe(204);
      const revoked = await on(replica);
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json().error.code).toBe('api_key_revoked');
    } finally {
      await replica.close();
    }
  });

  it('with hits sent every 200 ms, one replica still answers 429 at the limit, and sees the other replica at its next send', async () => {
    const env = { API_KEY_RATE_LIMIT_PER_MINUTE: '4', API_KEY_RATE_LIMIT_SYNC_MS: '200' };
    const [one, two] = await Promise.all(
      ['replica-a', 'replica-b'].map((instanceId) =>
        buildHttpApp(createTestContext(getDb(), s().sim, { instanceId, env }), { publicUrl: PUBLIC_URL }),
      ),
    );
    try {
      const org = await buildOrg(s().ctx.db);
      const admin = await signIn(s(), org.id, 'admin');
      const create = (name: string) => admin.post('/api/admin/api-keys', { name, scopes: ['tokens'] });
      const on = (app: FastifyInstance, key: string) =>
        app.inject({ method: 'GET', url: '/api/v1/ebay/accounts', headers: bearer(key) });
      const soloKey = (await create('solo')).json();
      const solo = soloKey.key;
      const remaining: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await on(one!, solo);
        expect(res.statusCode).toBe(200);
        remaining.push(String(res.headers['x-ratelimit-remaining']));
      }
      expect(remaining).toEqual(['3', '2', '1', '0']);
      expect((await on(one!, solo)).statusCode).toBe(429);
      // Only the first hit and the refused one reached the database; the rest were counted here.
      const [row] = await queryRows(
        s().ctx.db,
        sql`select hits from rate_limits
            where key = translate(rtrim(encode(sha256(convert_to(${`api-key:${soloKey.id}`}, 'UTF8')), 'base64'), '='), '+/', '-_')`,
        z.object({ hits: z.coerce.number() }),
      );
      expect(row?.hits).toBe(5);

      const shared = (await create('shared')).json().key;
      expect((await on(one!, shared)).statusCode).toBe(200);
      expect((await on(two!, shared)).statusCode).toBe(200);
      expect((await on(one!, shared)).statusCode).toBe(200);
      expect((await on(two!, shared)).statusCode).toBe(200);
      // 5 made, but each replica knows only its own since its last send (one: 1 + 2, two: 2 + 1).
      expect((await on(one!, shared)).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, 250));
      // The next sends carry what each counted: the database has 5, then 7; both replicas refuse.
      const limited = await on(one!, shared);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await on(two!, shared)).statusCode).toBe(429);
    } finally {
      await Promise.all([one!.close(), two!.close()]);
    }
  });

  it('keeps the counters in an unlogged table (no WAL flush per request)', async () => {
    const [row] = await queryRows(
      s().ctx.db,
      sql`select relpersistence from pg_class where relname = 'rate_limits'`,
      z.object({ relpersistence: z.string() }),
    );
    expect(row?.relpersistence).toBe('u');
  });
});

describeEachDb('service API metrics', (getDb) => {
  const s = useApp(getDb, { METRICS_PUBLIC: 'true' });
  it('counts service requests by route pattern and status, never by account id', async () => {
    const org = await buildOrg(s().ctx.db);
    const admin = await signIn(s(), org.id, 'admin');
    const { key } = (await admin.post('/api/admin/api-keys', { name: 'metrics', scopes: ['tokens'] })).json();
    const call = (url: string, k: string, method: 'GET' | 'POST' = 'GET') =>
      s().app.inject({
        method,
        url,
        headers: { ...bearer(k), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(method === 'POST' ? { payload: '{}' } : {}),
      });
    expect((await call('/api/v1/ebay/accounts', key)).statusCode).toBe(200);
    expect((await call('/api/v1/ebay/accounts', key)).statusCode).toBe(200);
    expect((await call('/api/v1/ebay/accounts', `ebc_${'x'.repeat(43)}`)).statusCode).toBe(401);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call(`/api/v1/ebay/accounts/${unknown}/access-token`, key, 'POST')).statusCode).toBe(404);
    const text = (await s().app.inject({ method: 'GET', url: '/metrics' })).body;
    const series = text.split('\n').filter((l) => l.startsWith('ebay_service_requests_total{'));
    expect(series).toEqual(
      expect.arrayContaining([
        'ebay_service_requests_total{route="/api/v1/ebay/accounts",status="200"} 2',
        'ebay_service_requests_total{route="/api/v1/ebay/accounts",status="401"} 1',
        'ebay_service_requests_total{route="/api/v1/ebay/accounts/:id/access-token",status="404"} 1',
      ]),
    );
    expect(text).not.toContain(unknown);
  });
});
