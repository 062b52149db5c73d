import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { endpoints } from '@ebay-connector/contracts';
import pino from 'pino';
import { openDatabase } from '../db/client.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { PUBLIC_URL, signedInClient, useHarness } from '../test/harness.ts';
import { buildHttpApp } from './app.ts';

describeEachDb('health, metrics, OpenAPI, web UI, headers and logging', (getDb) => {
  const h = useHarness(getDb);

  it('answers /healthz when the database is up', async () => {
    const res = await h().app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('serves Prometheus metrics read from the database', async () => {
    const admin = await signedInClient(h());
    const { accountId } = await buildAccount(h().ctx, h().sim, { orgId: admin.orgId });
    await admin.post(`/api/admin/ebay/accounts/${accountId}/refresh`);
    const off = await h().app.inject({ method: 'GET', url: '/metrics' });
    expect(off.statusCode).toBe(404);
    expect(off.json().error.message).toMatch(/metrics are off: set METRICS_TOKEN .* or METRICS_PUBLIC=true/);
    const token = 'metrics-token-0123456789';
    const guarded = await buildHttpApp(
      { ...h().ctx, env: { ...h().ctx.env, METRICS_TOKEN: token } },
      { publicUrl: PUBLIC_URL },
    );
    try {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Basic ${token}`]) {
        const refused = await guarded.inject({
          method: 'GET',
          url: '/metrics',
          headers: authorization ? { authorization } : {},
        });
        expect(refused.statusCode).toBe(401);
      }
      const scraped = await guarded.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(scraped.statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
    const open = await buildHttpApp(
      { ...h().ctx, env: { ...h().ctx.env, METRICS_PUBLIC: true } },
      { publicUrl: PUBLIC_URL },
    );
    const res = await open.inject({ method: 'GET', url: '/metrics' });
    await open.close();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/ebay_token_refresh_attempts_last_24h\{outcome="success",source="manual"\} 1/);
    expect(res.body).toMatch(/ebay_accounts_by_token_state\{state="healthy"\} 1/);
    expect(res.body).toMatch(/ebay_token_seconds_until_soonest_expiry 7\d{3}/);
    expect(res.body).toContain('# TYPE background_loop_heartbeat_age_seconds gauge');
  });

  it('publishes the OpenAPI document built from the contracts', async () => {
    const res = await h().app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/admin/ebay/token/refresh-debug',
        '/api/admin/ebay/tokens/terminal-logs',
        '/api/admin/ebay/accounts/{id}/token-info',
        '/api/ebay/oauth/callback',
      ]),
    );
    const params = doc.paths['/api/admin/ebay/tokens/terminal-logs'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(params).toEqual(
      expect.arrayContaining(['env', 'limit', 'source', 'ebay_account_id', 'before_id']),
    );
  });

  it('registers one route per contract endpoint and documents each of them, and nothing else', async () => {
    const doc = (await h().app.inject({ method: 'GET', url: '/api/docs' })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, { tags: string[] }>>)
      .flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.tags}`),
      )
      .sort();
    const declared = Object.values(endpoints)
      .map((e) => `${e.method} ${e.path.replace(/:(\w+)/g, '{$1}')} ${e.tag}`)
      .sort();
    expect(documented).toEqual(declared);
    for (const e of Object.values(endpoints)) {
      expect(h().app.hasRoute({ method: e.method, url: e.path }), e.path).toBe(true);
    }
  });

  it('answers unknown API paths with a JSON 404, sets security headers and echoes request ids', async () => {
    const res = await h().app.inject({
      method: 'GET',
      url: '/api/nothing-here',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/nothing-here' } });
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const generated = await h().app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id!' },
    });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 503 database_unavailable, not 500, while the database cannot be reached', async () => {
    // A PostgreSQL URL where nothing listens: every statement fails to connect.
    const gone = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/nowhere' });
    const ctx = { ...h().ctx, db: gone.db };
    const app = await buildHttpApp(ctx, { publicUrl: PUBLIC_URL });
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: PUBLIC_URL, 'content-type': 'application/json' },
        payload: { email: 'someone@example.test', password: 'whatever-password' },
      });
      const me = await app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie: `ebc_session=${'a'.repeat(43)}` },
      });
      for (const res of [login, me]) {
        expect(res.statusCode).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.json().error.code).toBe('database_unavailable');
      }
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503);
    } finally {
      await app.close();
      await gone.close();
    }
  });

  it('serves the built web UI with an SPA fallback outside /api', async () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'ebc-web-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    const app = await buildHttpApp(h().ctx, { publicUrl: PUBLIC_URL, webDistDir: dist });
    try {
      const get = (url: string, method: 'GET' | 'POST' = 'GET') => app.inject({ method, url });
      expect((await get('/')).body).toContain('id="root"');
      const deep = await get('/admin/workers?x=1');
      expect(deep.statusCode).toBe(200);
      expect(deep.headers['content-type']).toContain('text/html');
      expect((await get('/assets/app.js')).headers['content-type']).toContain('javascript');
      expect((await get('/assets/missing.js')).statusCode).toBe(404);
      expect((await get('/api/missing')).json().error.code).toBe('not_found');
      expect((await get('/accounts', 'POST')).statusCode).toBe(404);
      expect((await get('/healthz')).json().status).toBe('ok');
    } finally {
      await app.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('keeps the authorization code, cookies and passwords out of the request logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const ctx = { ...h().ctx, logger: pino({ level: 'info' }, sink) };
    const app = await buildHttpApp(ctx, { publicUrl: PUBLIC_URL });
    try {
      const code =
        'v^1.1#i^1#p^3#r^1#f^0#I^3#t^Ul41XzQ6QjVFQTc5RjhBQTQ5MTg2MEVBNzVFNDU4RjdFM0QxQjJfMV8xI0VeMjYw';
      await app.inject({
        method: 'GET',
        url: `/api/ebay/oauth/callback?state=abc&code=${encodeURIComponent(code)}`,
        headers: { cookie: 'ebc_session=secret-cookie-value' },
      });
      await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: PUBLIC_URL, cookie: 'ebc_session=secret-cookie-value' },
        payload: { email: 'someone@example.test', password: 'hunter2-hunter2' },
      });
      const text = lines.join('');
      expect(text).toContain('/api/ebay/oauth/callback');
      expect(text).not.toContain(code);
      expect(text).not.toContain(encodeURIComponent(code));
      expect(text).not.toContain('secret-cookie-value');
      expect(text).not.toContain('hunter2');
    } finally {
      await app.close();
    }
  });
});
