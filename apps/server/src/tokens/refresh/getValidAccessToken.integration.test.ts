import { sql } from 'drizzle-orm';
import { createTestContext, type TestContext, useSim } from '../../test/appContext.ts';
import { describeEachDb } from '../../test/db.ts';
import { buildAccount, buildOrg } from '../../test/factories.ts';
import { getValidAccessToken } from './getValidAccessToken.ts';

describeEachDb('getValidAccessToken', (getDb) => {
  const getSim = useSim();
  let ctx: TestContext;
  let orgId: string;
  beforeAll(async () => {
    ctx = createTestContext(getDb(), getSim());
    orgId = (await buildOrg(ctx.db)).id;
  });

  it('returns the stored token while it is valid, without calling eBay', async () => {
    const { accountId, grant } = await buildAccount(ctx, getSim(), { orgId });
    const calls = getSim().control.counters().refreshCalls;
    const result = await getValidAccessToken(ctx, accountId);
    expect(result).toMatchObject({ ok: true, accessToken: grant.access_token, refreshed: false });
    expect(getSim().control.counters().refreshCalls).toBe(calls);
  });

  it('refreshes an expiring token once, even when many callers ask at the same time', async () => {
    const { accountId, grant } = await buildAccount(ctx, getSim(), { orgId, accessExpiresInSeconds: 10 });
    getSim().control.setLatency(200);
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => getValidAccessToken(ctx, accountId)));
      const tokens = new Set(results.map((r) => (r.ok ? r.accessToken : r.code)));
      expect(tokens.size).toBe(1);
      expect([...tokens][0]).not.toBe(grant.access_token);
      expect(results.filter((r) => r.ok && r.refreshed)).toHaveLength(1);
      expect(getSim().control.counters().maxConcurrentRefreshesOfOneToken).toBe(1);
    } finally {
      getSim().control.reset();
    }
  });

  it('refreshes a stored access token it cannot read, even long before its expiry', async () => {
    const { accountId, grant } = await buildAccount(ctx, getSim(), { orgId });
    await ctx.db.execute(
      sql`update ebay_tokens set access_token = ${'ENC:v1:gone:AAAA'} where account_id = ${accountId}`,
    );
    const result = await getValidAccessToken(ctx, accountId);
    expect(result).toMatchObject({ ok: true, refreshed: true });
    expect(result.ok && result.accessToken).not.toBe(grant.access_token);
  });

  it('reports why a token cannot be had', async () => {
    const { accountId } = await buildAccount(ctx, getSim(), {
      orgId,
      accessExpiresInSeconds: 10,
      brokenRefreshToken: 'unknown_key_id',
    });
    expect(await getValidAccessToken(ctx, accountId)).toMatchObject({ ok: false, code: 'decrypt_failed' });
  });
});
