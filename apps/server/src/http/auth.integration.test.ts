import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { parseEnv } from '../config/env.ts';
import { queryRows } from '../db/client.ts';
import { dbNumber } from '../db/rows.ts';
import { createTestClock } from '../test/appContext.ts';
import { describeEachDb } from '../test/db.ts';
import { buildOrg, buildUser } from '../test/factories.ts';
import {
  clientFor,
  login,
  PUBLIC_URL,
  sessionCookieOf,
  signedInClient,
  useHarness,
} from '../test/harness.ts';
import { buildHttpApp } from './app.ts';
import { countHit, sweepEndedWindows } from './rateLimitStore.ts';

describeEachDb('auth: login, sessions, logout, CSRF', (getDb) => {
  const h = useHarness(getDb);

  it('logs in with the right password and answers /me; the cookie is httpOnly, Lax, not Secure on http', async () => {
    const { app, ctx } = h();
    const org = await buildOrg(ctx.db);
    const user = await buildUser(ctx.db, { orgId: org.id, role: 'viewer', email: 'Viewer.One@Example.test' });
    const res = await login(app, 'viewer.one@example.test', user.password);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { id: user.userId, email: 'viewer.one@example.test', role: 'viewer' },
      org: { id: org.id, name: org.name },
    });
    const cookie = res.cookies.find((c) => c.name === 'ebc_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: sessionCookieOf(res) },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(user.userId);
  });

  it('stores only the sha256 of the session token and argon2id password hashes', async () => {
    const { app, ctx } = h();
    const org = await buildOrg(ctx.db);
    const user = await buildUser(ctx.db, { orgId: org.id });
    const token = (await login(app, user.email, user.password)).cookies.find(
      (c) => c.name === 'ebc_session',
    )!.value;
    const sessions = await queryRows(
      ctx.db,
      sql`select s.id from sessions s where s.user_id = ${user.userId}`,
      z.looseObject({ id: z.string() }),
    );
    expect(sessions.map((s) => s.id)).not.toContain(token);
    expect(sessions[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    const [row] = await queryRows(
      ctx.db,
      sql`select password_hash from users where id = ${user.userId}`,
      z.looseObject({ password_hash: z.string() }),
    );
    expect(row!.password_hash.startsWith('$argon2id$')).toBe(true);
  });

  it('rejects a wrong password and an unknown email alike with 401', async () => {
    const { app, ctx } = h();
    const org = await buildOrg(ctx.db);
    const user = await buildUser(ctx.db, { orgId: org.id });
    const wrong = await login(app, user.email, 'not-the-password');
    const unknown = await login(app, 'nobody@example.test', 'whatever-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  it('answers 401 without a session, with a garbage cookie, and after logout', async () => {
    const { app } = h();
    const noCookie = await app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(noCookie.statusCode).toBe(401);
    expect(noCookie.json().error.code).toBe('unauthorized');
    const garbage = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: 'ebc_session=x' },
    });
    expect(garbage.statusCode).toBe(401);

    const client = await signedInClient(h());
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    const out = await client.post('/api/auth/logout');
    expect(out.statusCode).toBe(200);
    expect(out.cookies.find((c) => c.name === 'ebc_session')?.value).toBe('');
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('expires sessions after 7 days', async () => {
    const { ctx } = h();
    const client = await signedInClient(h());
    try {
      ctx.clock.advance(7 * 24 * 3600 * 1000 - 60_000);
      expect((await client.get('/api/auth/me')).statusCode).toBe(200);
      ctx.clock.advance(120_000);
      expect((await client.get('/api/auth/me')).statusCode).toBe(401);
    } finally {
      ctx.clock.real();
    }
  });

  it('limits login attempts per IP and email (10 a minute)', async () => {
    const { app, ctx } = h();
    const org = await buildOrg(ctx.db);
    const user = await buildUser(ctx.db, { orgId: org.id });
    for (let i = 0; i < 10; i++)
      expect((await login(app, user.email, 'wrong-password')).statusCode).toBe(401);
    const limited = await login(app, user.email, user.password);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another email from the same address is not affected.
    const other = await buildUser(ctx.db, { orgId: org.id });
    expect((await login(app, other.email, other.password)).statusCode).toBe(200);
  });

  it('counts login attempts in the database: two replicas share the limit, and no email is stored', async () => {
    const { app, ctx } = h();
    const replica = await buildHttpApp(ctx, { publicUrl: PUBLIC_URL });
    try {
      const org = await buildOrg(ctx.db);
      const user = await buildUser(ctx.db, { orgId: org.id });
      for (let i = 0; i < 10; i++) {
        const res = await login(i % 2 === 0 ? app : replica, user.email, 'wrong-password');
        expect(res.statusCode).toBe(401);
      }
      expect((await login(replica, user.email, user.password)).statusCode).toBe(429);
      expect((await login(app, user.email, user.password)).statusCode).toBe(429);
      const rows = await queryRows(
        ctx.db,
        sql`select key from rate_limits`,
        z.looseObject({ key: z.string() }),
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(user.email.split('@')[0]);
    } finally {
      await replica.close();
    }
  });

  it('starts a new window once the last one ended', async () => {
    const { ctx } = h();
    const clock = createTestClock();
    clock.set(new Date());
    expect(await countHit(ctx.db, 'window-test', 300, clock.now())).toMatchObject({ current: 1 });
    const second = await countHit(ctx.db, 'window-test', 300, clock.now());
    expect(second.current).toBe(2);
    expect(second.ttl).toBe(300);
    clock.advance(299);
    expect(await countHit(ctx.db, 'window-test', 300, clock.now())).toMatchObject({ current: 3, ttl: 1 });
    clock.advance(1);
    expect(await countHit(ctx.db, 'window-test', 300, clock.now())).toMatchObject({ current: 1, ttl: 300 });
    // A sweep deletes ended windows only.
    await countHit(ctx.db, 'ended-window', 1, clock.now());
    clock.advance(20);
    await sweepEndedWindows(ctx.db, clock.now());
    const [row] = await queryRows(
      ctx.db,
      sql`select count(*)::int as n from rate_limits where reset_at < ${clock.now().toISOString()}::timestamptz`,
      z.looseObject({ n: dbNumber }),
    );
    expect(row!.n).toBe(0);
    expect((await countHit(ctx.db, 'window-test', 300, clock.now())).current).toBe(2);
  });

  describe('CSRF: state-changing cookie requests need our Origin (or Referer) and JSON', () => {
    it.each([
      ['no Origin or Referer', { origin: undefined }, 403, 'csrf_origin_missing'],
      ['a foreign Origin', { origin: 'https://evil.test' }, 403, 'csrf_origin_mismatch'],
      [
        'a foreign Referer',
        { origin: undefined, referer: 'https://evil.test/page' },
        403,
        'csrf_origin_mismatch',
      ],
      [
        'a form content type',
        { 'content-type': 'application/x-www-form-urlencoded' },
        415,
        'unsupported_media_type',
      ],
      ['a text/plain body', { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
    ])('refuses %s', async (_name, headers, status, code) => {
      const client = await signedInClient(h());
      const merged = Object.fromEntries(
        Object.entries({
          cookie: client.cookie,
          origin: PUBLIC_URL,
          'content-type': 'application/json',
          ...headers,
        }).filter(([, v]) => v !== undefined),
      ) as Record<string, string>;
      const res = await h().app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: merged,
        payload: '{}',
      });
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    });

    it('accepts a matching Referer instead of Origin, and a bodyless JSON POST', async () => {
      const client = await signedInClient(h());
      const res = await h().app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: {
          cookie: client.cookie,
          referer: `${PUBLIC_URL}/admin/workers`,
          'content-type': 'application/json',
        },
      });
      expect(res.statusCode).toBe(200);
    });

    it('refuses a login posted from another origin', async () => {
      const client = await signedInClient(h());
      const res = await h().app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: 'https://evil.test' },
        payload: { email: client.user.email, password: client.user.password },
      });
      expect(res.statusCode).toBe(403);
    });
  });

  it('behind a trusted proxy (TRUST_PROXY), limits login attempts per client, not per proxy', async () => {
    const { buildHttpApp } = await import('./app.ts');
    const { ctx } = h();
    const behindProxy = {
      ...ctx,
      env: { ...ctx.env, TRUST_PROXY: parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY },
    };
    const app = await buildHttpApp(behindProxy, { publicUrl: PUBLIC_URL });
    try {
      const org = await buildOrg(ctx.db);
      const user = await buildUser(ctx.db, { orgId: org.id });
      const from = (client: string, password: string) =>
        app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: '10.1.2.3',
          headers: { origin: PUBLIC_URL, 'x-forwarded-for': client },
          payload: { email: user.email, password },
        });
      for (let i = 0; i < 10; i++) expect((await from('203.0.113.7', 'wrong-password')).statusCode).toBe(401);
      expect((await from('203.0.113.7', user.password)).statusCode).toBe(429);
      // The same user from another client behind the same proxy is not locked out.
      expect((await from('198.51.100.9', user.password)).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('sets Secure cookies when PUBLIC_URL is https', async () => {
    const { buildHttpApp } = await import('./app.ts');
    const { ctx } = h();
    const app = await buildHttpApp(ctx, { publicUrl: 'https://connector.example.com' });
    try {
      const org = await buildOrg(ctx.db);
      const user = await buildUser(ctx.db, { orgId: org.id });
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { origin: 'https://connector.example.com' },
        payload: { email: user.email, password: user.password },
      });
      // On https the cookie is __Host-: Secure, path /, no Domain (this host only).
      const cookie = res.cookies.find((c) => c.name === '__Host-ebc_session');
      expect(cookie).toMatchObject({ secure: true, path: '/', httpOnly: true });
      expect(cookie?.domain).toBeUndefined();
      expect(res.cookies.find((c) => c.name === 'ebc_session')).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeDefined();
      const client = clientFor(app, sessionCookieOf(res), user, org.id);
      expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
