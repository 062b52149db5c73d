import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import type { FastifyInstance } from 'fastify';
import { createTestContext, type TestContext } from '../test/appContext.ts';
import { describeEachDb } from '../test/db.ts';
import { buildOrg, buildUser } from '../test/factories.ts';
import { clientFor, login, PUBLIC_URL, sessionCookieOf } from '../test/harness.ts';
import { buildHttpApp } from './app.ts';

/** Issue 13: `POST /api/v1/ebay/app-token`, the application access token for services. */

describeEachDb('POST /api/v1/ebay/app-token', (getDb) => {
  let ctx: TestContext;
  let sim: EbaySim;
  let app: FastifyInstance;
  let tokensKey: string;
  let proxyKey: string;
  let revokedKey: string;

  beforeAll(async () => {
    sim = await startEbaySim();
    ctx = createTestContext(getDb(), sim);
    app = await buildHttpApp(ctx, { publicUrl: PUBLIC_URL });
    await app.ready();
    const org = await buildOrg(ctx.db);
    const user = await buildUser(ctx.db, { orgId: org.id, role: 'admin' });
    const admin = clientFor(app, sessionCookieOf(await login(app, user.email, user.password)), user, org.id);
    const create = async (name: string, scopes: string[]) => {
      const res = await admin.post('/api/admin/api-keys', { name, scopes });
      expect(res.statusCode).toBe(200);
      return res.json() as { id: string; key: string };
    };
    tokensKey = (await create('browse tool', ['tokens'])).key;
    proxyKey = (await create('proxy only', ['proxy'])).key;
    const revoked = await create('old script', ['tokens']);
    revokedKey = revoked.key;
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/admin/api-keys/${revoked.id}`,
      headers: { cookie: admin.cookie, origin: PUBLIC_URL, 'content-type': 'application/json' },
    });
    expect(del.statusCode).toBe(204);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const appToken = (key: string, body?: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/ebay/app-token',
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });

  it('gives the application token, and a second call reuses it without calling eBay', async () => {
    sim.control.resetCounters();
    const first = await appToken(tokensKey, {});
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      access_token: expect.any(String),
      expires_at: expect.any(String),
      token_type: 'Application Access Token',
      scopes: ['https://api.ebay.com/oauth/api_scope'],
    });
    const expiresInMs = Date.parse(first.json().expires_at) - ctx.now().getTime();
    expect(expiresInMs).toBeGreaterThan(7000_000);
    expect(sim.control.counters().appTokenCalls).toBe(1);

    const again = await appToken(tokensKey); // no body: same as {}
    expect(again.statusCode).toBe(200);
    expect(again.json().access_token).toBe(first.json().access_token);
    expect(sim.control.counters().appTokenCalls).toBe(1);

    // Each environment has its own token (the simulator serves both).
    const sandbox = await appToken(tokensKey, { environment: 'sandbox' });
    expect(sandbox.statusCode).toBe(200);
    expect(sandbox.json().access_token).not.toBe(first.json().access_token);
    expect(sim.control.counters().appTokenCalls).toBe(2);
  });

  it('answers 403 for a key without the tokens scope and 401 for a revoked key', async () => {
    const noScope = await appToken(proxyKey, {});
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().error.code).toBe('api_key_scope_missing');
    const revoked = await appToken(revokedKey, {});
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('api_key_revoked');
    expect(revoked.body).not.toContain('access_token');
  });

  it('answers 400 for an odd or unconfigured environment', async () => {
    const odd = await appToken(tokensKey, { environment: 'staging' });
    expect(odd.statusCode).toBe(400);
    expect(odd.json().error.message).toMatch(/^environment: /);

    const simulated = ctx.ebay.simulated;
    ctx.ebay.simulated = false; // real credentials serve one environment (production here)
    try {
      const other = await appToken(tokensKey, { environment: 'sandbox' });
      expect(other.statusCode).toBe(400);
      expect(other.json().error.code).toBe('environment_not_configured');
    } finally {
      ctx.ebay.simulated = simulated;
    }
  });

  it('is in the OpenAPI document with the API key (Bearer) as its only auth', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs' })).json();
    expect(doc.paths['/api/v1/ebay/app-token'].post.security).toEqual([{ apiKey: [] }]);
  });

  it('answers 503 ebay_unavailable with Retry-After when eBay fails', async () => {
    ctx.clock.advance(7200_000); // the stored tokens have expired
    sim.control.failNext('5xx');
    const res = await appToken(tokensKey, { environment: 'production' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('ebay_unavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // eBay is back: the next call gets a fresh token.
    const next = await appToken(tokensKey, { environment: 'production' });
    expect(next.statusCode).toBe(200);
  });
});
