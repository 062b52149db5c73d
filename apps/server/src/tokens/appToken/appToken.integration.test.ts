import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.ts';
import { anyRow } from '../../db/rows.ts';
import { createTestContext, type TestContext, useSim } from '../../test/appContext.ts';
import { describeEachDb } from '../../test/db.ts';
import { getAppToken, measureAppTokenQuota } from './appToken.ts';

describeEachDb('application access token', (getDb) => {
  const getSim = useSim();
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = createTestContext(getDb(), getSim(), { instanceId: 'proc-a' });
    await ctx.db.execute(sql`delete from ebay_app_tokens`);
    await ctx.db.execute(sql`delete from ebay_connect_logs`);
    getSim().control.resetCounters();
  });

  it('fetches once and reuses the stored token until five minutes before expiry', async () => {
    const first = await getAppToken(ctx);
    expect(first).toMatchObject({ ok: true, tokenType: 'Application Access Token' });
    const again = await getAppToken(ctx);
    expect(again.ok && first.ok && again.accessToken === first.accessToken).toBe(true);
    expect(getSim().control.counters().appTokenCalls).toBe(1);

    ctx.clock.advance(7200_000 - 6 * 60_000); // 6 min left: still reused
    await getAppToken(ctx);
    expect(getSim().control.counters().appTokenCalls).toBe(1);
    ctx.clock.advance(2 * 60_000); // 4 min left: a new one
    const renewed = await getAppToken(ctx);
    expect(renewed.ok && first.ok && renewed.accessToken !== first.accessToken).toBe(true);
    expect(getSim().control.counters().appTokenCalls).toBe(2);
    expect((await measureAppTokenQuota(ctx, ctx.now())).calls_24h).toBe(2);
  });

  it('is single-flight: 10 concurrent callers in two processes make one eBay call', async () => {
    const other = createTestContext(getDb(), getSim(), { instanceId: 'proc-b' });
    getSim().control.setLatency(150);
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => getAppToken(i % 2 === 0 ? ctx : other)),
      );
      const tokens = new Set(results.map((r) => (r.ok ? r.accessToken : r.code)));
      expect(tokens.size).toBe(1);
      expect(getSim().control.counters().appTokenCalls).toBe(1);
    } finally {
      getSim().control.setLatency(0);
    }
  });

  it('stores the token encrypted and logs the call masked, source app', async () => {
    const result = await getAppToken(ctx);
    if (!result.ok) throw new Error(result.message);
    const stored = await queryRows(ctx.db, sql`select * from ebay_app_tokens`, anyRow);
    const logs = await queryRows(
      ctx.db,
      sql`select action, source, request, response from ebay_connect_logs`,
      anyRow,
    );
    const everything = JSON.stringify([stored, logs]);
    expect(everything).not.toContain(result.accessToken);
    expect(everything).not.toContain(result.accessToken.slice(30, 80));
    expect(everything).not.toContain(ctx.ebay.clientSecret);
    expect(everything).toContain('ENC:v1:');
    expect(logs).toEqual([expect.objectContaining({ action: 'app_token_issued', source: 'app' })]);
  });

  it('logs app_token_failed when eBay refuses, and stores nothing', async () => {
    const bad = createTestContext(getDb(), getSim());
    bad.ebay = { ...bad.ebay, clientSecret: 'wrong-secret' };
    const result = await getAppToken(bad);
    expect(result).toMatchObject({ ok: false, code: 'invalid_client' });
    const logs = await queryRows(ctx.db, sql`select action, source from ebay_connect_logs`, anyRow);
    expect(logs).toEqual([{ action: 'app_token_failed', source: 'app' }]);
    const stored = await queryRows(ctx.db, sql`select access_token from ebay_app_tokens`, anyRow);
    expect(stored.every((r) => r.access_token === null)).toBe(true);
  });
});
