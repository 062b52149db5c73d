import type { FastifyInstance } from 'fastify';
import { parseEnv } from '../config/env.ts';
import { createTestClock } from '../test/appContext.ts';
import { describeEachDb } from '../test/db.ts';
import { buildOrg, buildUser } from '../test/factories.ts';
import { PUBLIC_URL, useHarness } from '../test/harness.ts';
import { buildHttpApp } from './app.ts';
import { checkLoginLimits, LOGIN_LIMITS, recordLoginFailure } from './loginLimits.ts';

describeEachDb('login limits: per account across addresses, per address across emails', (getDb) => {
  const h = useHarness(getDb);
  let app: FastifyInstance;
  beforeAll(async () => {
    const { ctx } = h();
    const behindProxy = {
      ...ctx,
      env: { ...ctx.env, TRUST_PROXY: parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY },
    };
    app = await buildHttpApp(behindProxy, { publicUrl: PUBLIC_URL });
  });
  afterAll(async () => {
    await app.close();
  });
  const from = (client: string, email: string, password: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.1.2.3',
      headers: { origin: PUBLIC_URL, 'x-forwarded-for': client },
      payload: { email, password },
    });

  it('locks an account after 10 failures from 5 addresses, for those addresses; the right password from a fresh one still signs in', async () => {
    const org = await buildOrg(h().ctx.db);
    const user = await buildUser(h().ctx.db, { orgId: org.id });
    const attackers = ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5'];
    for (const ip of attackers)
      for (let i = 0; i < 2; i++) expect((await from(ip, user.email, 'wrong-password')).statusCode).toBe(401);
    for (const ip of attackers) {
      const locked = await from(ip, user.email.toUpperCase(), user.password);
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.message).toMatch(
        /this account is locked after 10 failed sign-ins; try again in 1[45] minutes$/,
      );
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    }
    // The real user, from an address that did not fail, gets in.
    expect((await from('198.51.100.1', user.email, user.password)).statusCode).toBe(200);
    // A new address gets one guess during the lockout, then it is locked out too.
    expect((await from('198.51.100.2', user.email, 'wrong-password')).statusCode).toBe(401);
    expect((await from('198.51.100.2', user.email, user.password)).statusCode).toBe(429);
  });

  it('limits failed sign-ins from one address across emails (30 a minute); other addresses are not affected', async () => {
    const org = await buildOrg(h().ctx.db);
    const user = await buildUser(h().ctx.db, { orgId: org.id });
    for (let i = 0; i < LOGIN_LIMITS.failuresPerIp.max; i++) {
      expect((await from('192.0.2.77', `spray-${i}@example.test`, 'Summer2026!')).statusCode).toBe(401);
    }
    const limited = await from('192.0.2.77', user.email, user.password);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.message).toMatch(
      /too many failed sign-ins from this address; try again in \d+ seconds/,
    );
    expect((await from('192.0.2.78', user.email, user.password)).statusCode).toBe(200);
  });

  it('ends a lockout when its window ends (15 minutes after the first failure)', async () => {
    const { db } = h().ctx;
    const clock = createTestClock();
    clock.set(new Date());
    for (let i = 0; i < 10; i++)
      await recordLoginFailure(db, `198.18.0.${i}`, 'locked@example.test', clock.now());
    await expect(checkLoginLimits(db, '198.18.0.3', 'locked@example.test', clock.now())).rejects.toThrow(
      /locked/,
    );
    clock.advance(LOGIN_LIMITS.failuresPerAccount.windowMs - 1_000);
    await expect(checkLoginLimits(db, '198.18.0.3', 'locked@example.test', clock.now())).rejects.toThrow(
      /try again in 1 minute$/,
    );
    clock.advance(1_000);
    await expect(
      checkLoginLimits(db, '198.18.0.3', 'locked@example.test', clock.now()),
    ).resolves.toBeUndefined();
  });
});
