import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EbaySim, ORDERS_PER_SELLER, startEbaySim } from '@ebay-connector/ebay-sim';
import type { FastifyInstance } from 'fastify';
import { createTestContext, type TestContext } from '../test/appContext.ts';
import { captureLogger } from '../test/captureLogger.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount, buildOrg, buildUser } from '../test/factories.ts';
import { clientFor, expectNoSecrets, login, PUBLIC_URL, sessionCookieOf } from '../test/harness.ts';
import { buildHttpApp } from './app.ts';

/** Issue 11: the eBay API proxy, over real HTTP against the simulator. */

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/** A plain HTTP server that records what reaches it and answers with `answer`. */
async function startRecorder(
  answer: (res: import('node:http').ServerResponse) => void = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  },
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends the path exactly as written (fetch would normalise `..` and backslashes away). */
function rawGet(base: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describeEachDb('eBay API proxy', (getDb) => {
  let ctx: TestContext;
  let sim: EbaySim;
  let app: FastifyInstance;
  let base: string;
  let logs: ReturnType<typeof captureLogger>;
  let proxyKey: string;
  let tokensOnlyKey: string;
  let orgId: string;
  let otherOrgId: string;
  const answers: string[] = [];

  beforeAll(async () => {
    sim = await startEbaySim();
    logs = captureLogger();
    ctx = createTestContext(getDb(), sim, { env: { METRICS_PUBLIC: 'true' } });
    ctx.logger = logs.logger;
    app = await buildHttpApp(ctx, { publicUrl: PUBLIC_URL });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    orgId = (await buildOrg(ctx.db)).id;
    otherOrgId = (await buildOrg(ctx.db)).id;
    const user = await buildUser(ctx.db, { orgId, role: 'admin' });
    const admin = clientFor(app, sessionCookieOf(await login(app, user.email, user.password)), user, orgId);
    const create = async (scopes: string[]) => {
      const res = await admin.post('/api/admin/api-keys', { name: `key ${scopes.join('+')}`, scopes });
      expect(res.statusCode).toBe(200);
      return res.json().key as string;
    };
    proxyKey = await create(['tokens', 'proxy']);
    tokensOnlyKey = await create(['tokens']);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });
  afterEach(() => sim.control.reset());

  const proxied = async (id: string, path: string, init: RequestInit = {}, key = proxyKey) => {
    const res = await fetch(`${base}/api/v1/ebay/proxy/${id}/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
    });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  };

  it("lists the seller's orders through the proxy, with eBay's status, body and correlation headers", async () => {
    const { accountId } = await buildAccount(ctx, sim, { orgId, username: 'proxy_orders' });
    sim.control.resetCounters();
    const res = await proxied(accountId, 'sell/fulfillment/v1/order?limit=2&offset=2');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ total: ORDERS_PER_SELLER, limit: 2, offset: 2 });
    expect(res.json().orders).toHaveLength(2);
    expect(res.json().orders[0].sellerId).toBe('proxy_orders');
    expect(res.headers.get('x-ebay-c-request-id')).toMatch(/^Biz!~/);
    expect(res.headers.get('rlogid')).toBeTruthy();
    const items = await proxied(accountId, 'sell/inventory/v1/inventory_item');
    expect(items.json().inventoryItems).toHaveLength(3);
    expect(sim.control.counters()).toMatchObject({ sellCalls: 2, sellUnauthorized: 0, refreshCalls: 0 });
  });

  it('refreshes once and retries once when eBay refuses an access token that ended early (401, errorId 1001)', async () => {
    const { accountId, grant } = await buildAccount(ctx, sim, { orgId });
    expect(sim.control.expireAccessTokens(grant.user_id)).toBe(1);
    sim.control.resetCounters();
    const res = await proxied(accountId, 'sell/fulfillment/v1/order');
    expect(res.status).toBe(200);
    expect(res.json().total).toBe(ORDERS_PER_SELLER);
    expect(sim.control.counters()).toMatchObject({ refreshCalls: 1, sellUnauthorized: 1, sellCalls: 2 });
    // The new token is stored: the next call needs no refresh.
    expect((await proxied(accountId, 'sell/fulfillment/v1/order')).status).toBe(200);
    expect(sim.control.counters().refreshCalls).toBe(1);

    // Eight callers refused the same token at once: still one refresh.
    sim.control.expireAccessTokens(grant.user_id);
    sim.control.resetCounters();
    const all = await Promise.all(
      Array.from({ length: 8 }, () => proxied(accountId, 'sell/fulfillment/v1/order')),
    );
    expect(all.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(sim.control.counters().refreshCalls).toBe(1);
  });

  it('passes a 401 of another kind (not errorId 1001) on as it is, without a refresh', async () => {
    const refused = JSON.stringify({ errors: [{ errorId: 1100, message: 'Access denied' }] });
    const recorder = await startRecorder((res) => {
      res.writeHead(401, { 'content-type': 'application/json', rlogid: 'rlog-401' });
      res.end(refused);
    });
    const saved = ctx.ebay.overrides;
    ctx.ebay.overrides = { ...saved, apiBaseUrl: recorder.url };
    try {
      const { accountId } = await buildAccount(ctx, sim, { orgId });
      sim.control.resetCounters();
      const res = await proxied(accountId, 'sell/fulfillment/v1/order');
      expect(res.status).toBe(401);
      expect(res.text).toBe(refused);
      expect(res.headers.get('rlogid')).toBe('rlog-401');
      // One call, no token request (it would have gone to the same api host).
      expect(recorder.seen.map((s) => s.url)).toEqual(['/sell/fulfillment/v1/order']);
    } finally {
      ctx.ebay.overrides = saved;
      await recorder.close();
    }
  });

  it('forwards method, query and body unchanged with the access token, never the caller credentials; returns eBay headers without cookies', async () => {
    const recorder = await startRecorder((res) => {
      res.writeHead(201, {
        'content-type': 'application/json',
        rlogid: 'rlog-1',
        'x-ebay-c-request-id': 'req-1',
        'set-cookie': 'ebay=tracking',
        'keep-alive': 'timeout=5',
      });
      res.end('{"created":true}');
    });
    const saved = ctx.ebay.overrides;
    ctx.ebay.overrides = { ...saved, apiBaseUrl: recorder.url };
    try {
      const { accountId, grant } = await buildAccount(ctx, sim, { orgId });
      const body = JSON.stringify({ sku: 'A-1', quantity: 3 });
      const res = await proxied(accountId, 'sell/inventory/v1/inventory_item/A-1?x=1&y=%20z', {
        method: 'PUT',
        body,
        headers: {
          'content-type': 'application/json',
          'content-language': 'en-US',
          cookie: 'ebc_session=stolen',
          'x-forwarded-for': '10.0.0.1',
          'x-ebay-c-marketplace-id': 'EBAY_US',
        },
      });
      expect(res.status).toBe(201);
      expect(res.text).toBe('{"created":true}');
      expect(res.headers.get('rlogid')).toBe('rlog-1');
      expect(res.headers.get('x-ebay-c-request-id')).toBe('req-1');
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('keep-alive')).not.toBe('timeout=5');
      const [call] = recorder.seen;
      expect(call).toMatchObject({
        method: 'PUT',
        url: '/sell/inventory/v1/inventory_item/A-1?x=1&y=%20z',
        body,
      });
      expect(call?.headers.authorization).toBe(`Bearer ${grant.access_token}`);
      expect(call?.headers['content-type']).toBe('application/json');
      expect(call?.headers['x-ebay-c-marketplace-id']).toBe('EBAY_US');
      expect(call?.headers.cookie).toBeUndefined();
      expect(call?.headers['x-forwarded-for']).toBeUndefined();
      expect(JSON.stringify(call?.headers)).not.toContain(proxyKey);
    } finally {
      ctx.ebay.overrides = saved;
      await recorder.close();
    }
  });

  it('sends commerce/identity/ paths to the apiz host', async () => {
    const recorder = await startRecorder();
    const saved = ctx.ebay.overrides;
    ctx.ebay.overrides = { ...saved, apizBaseUrl: recorder.url };
    try {
      const { accountId } = await buildAccount(ctx, sim, { orgId });
      expect((await proxied(accountId, 'commerce/identity/v1/user/')).status).toBe(200);
      expect(recorder.seen.map((s) => s.url)).toEqual(['/commerce/identity/v1/user/']);
      // Other paths stay on the api host (the simulator).
      expect((await proxied(accountId, 'sell/fulfillment/v1/order')).status).toBe(200);
      expect(recorder.seen).toHaveLength(1);
    } finally {
      ctx.ebay.overrides = saved;
      await recorder.close();
    }
  });

  it("answers 404 for another org's account and an unknown id, 400 for a malformed id, 403 for a key without the proxy scope", async () => {
    const theirs = await buildAccount(ctx, sim, { orgId: otherOrgId });
    const mine = await buildAccount(ctx, sim, { orgId });
    sim.control.resetCounters();
    const other = await proxied(theirs.accountId, 'sell/fulfillment/v1/order');
    expect(other.status).toBe(404);
    expect(other.json().error.code).toBe('not_found');
    expect((await proxied('00000000-0000-4000-8000-000000000000', 'sell/fulfillment/v1/order')).status).toBe(
      404,
    );
    expect((await proxied('not-a-uuid', 'sell/fulfillment/v1/order')).status).toBe(400);
    const scoped = await proxied(mine.accountId, 'sell/fulfillment/v1/order', {}, tokensOnlyKey);
    expect(scoped.status).toBe(403);
    expect(scoped.json().error.code).toBe('api_key_scope_missing');
    expect((await proxied(mine.accountId, 'sell/fulfillment/v1/order', {}, '')).status).toBe(401);
    expect(sim.control.counters().sellCalls).toBe(0);
  });

  it('refuses paths that could leave eBay (.., encoded or back slashes, absolute URLs, another host) with 400, calling no host', async () => {
    const elsewhere = await startRecorder();
    const { accountId } = await buildAccount(ctx, sim, { orgId });
    const host = new URL(elsewhere.url).host;
    sim.control.resetCounters();
    const attacks = [
      '..',
      '../../api/admin/api-keys',
      'sell/../../../x',
      'sell/%2e%2e/%2E%2E/x',
      '..%2f..%2fx',
      'sell%2Ffulfillment',
      'sell%5c..%5cx',
      'sell\\..\\x',
      `http://${host}/x`,
      `http:%2f%2f${host}/x`,
      `//${host}/x`,
      `${host}/x`,
      `@${host}/x`,
      'sell//fulfillment',
      '__sim/issued-secrets',
      'sell/%00x',
      `sell/${'a'.repeat(3000)}`,
      '',
    ];
    for (const attack of attacks) {
      const res = await rawGet(base, `/api/v1/ebay/proxy/${accountId}/${attack}`, {
        authorization: `Bearer ${proxyKey}`,
      });
      expect(res.status, attack).toBe(400);
      expect(JSON.parse(res.body).error.message, attack).toMatch(/eBay API path|must|invalid|URL/i);
    }
    // An absolute URL as the request target itself.
    const absolute = await rawGet(base, `http://${host}/api/v1/ebay/proxy/${accountId}/sell/x`, {
      authorization: `Bearer ${proxyKey}`,
    });
    expect(absolute.status).toBe(404);
    expect(elsewhere.seen).toHaveLength(0);
    expect(sim.control.counters().sellCalls).toBe(0);
    await elsewhere.close();
  });

  it('answers 504 when eBay does not answer in time, 502 when it cannot be reached, 413 for a body over 10 MB', async () => {
    const { accountId } = await buildAccount(ctx, sim, { orgId });
    const savedTimeout = ctx.ebay.timeoutMs;
    ctx.ebay.timeoutMs = 200;
    sim.control.setLatency(2000);
    try {
      const slow = await proxied(accountId, 'sell/fulfillment/v1/order');
      expect(slow.status).toBe(504);
      expect(slow.json().error).toEqual({
        code: 'ebay_timeout',
        message: 'eBay did not answer within 200 ms',
      });
    } finally {
      ctx.ebay.timeoutMs = savedTimeout;
      sim.control.setLatency(0);
    }
    const gone = await startRecorder();
    await gone.close();
    const saved = ctx.ebay.overrides;
    ctx.ebay.overrides = { ...saved, apiBaseUrl: gone.url };
    try {
      const down = await proxied(accountId, 'sell/fulfillment/v1/order');
      expect(down.status).toBe(502);
      expect(down.json().error.code).toBe('ebay_unreachable');
    } finally {
      ctx.ebay.overrides = saved;
    }
    const big = await proxied(accountId, 'sell/inventory/v1/bulk_create_or_replace_inventory_item', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    // The server lives on.
    expect((await proxied(accountId, 'sell/fulfillment/v1/order')).status).toBe(200);
  });

  it('counts proxy calls by status in GET /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const count = (status: number) =>
      Number(
        new RegExp(`ebay_service_proxy_calls_total\\{status="${status}"\\} (\\d+)`).exec(text)?.[1] ?? 0,
      );
    expect(count(200)).toBeGreaterThanOrEqual(8);
    expect(count(400)).toBeGreaterThanOrEqual(18);
    expect(count(404)).toBeGreaterThanOrEqual(2);
    expect(count(504)).toBe(1);
  });

  it('never writes an access token, refresh token or API key to a log or an answer', () => {
    const lines = logs.lines().map((l) => JSON.stringify(l));
    expect(lines.length).toBeGreaterThan(10);
    expectNoSecrets(sim, [...lines, ...answers.filter((a) => !a.includes('"orders"'))]);
    for (const line of lines) {
      expect(line).not.toContain(proxyKey);
      expect(line).not.toContain(tokensOnlyKey);
    }
  });
});
