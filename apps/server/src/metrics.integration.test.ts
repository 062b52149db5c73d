import { sql } from 'drizzle-orm';
import { createMetrics } from './metrics.ts';
import { createTestContext, useSim } from './test/appContext.ts';
import { describeEachDb } from './test/db.ts';
import { buildAccount, buildOrg } from './test/factories.ts';
import { clearWorkerTables } from './test/workerFixtures.ts';
import { queryTokenStatus } from './tokens/status/statusQuery.ts';

const T0 = new Date('2030-01-01T00:00:00.000Z');

/** `name{labels} value` lines of one metric family, as Prometheus reads them. */
function samples(text: string, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = line.match(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`));
    if (m) out[m[1] ?? ''] = Number(m[2]);
  }
  return out;
}

describeEachDb('metrics of the token states', (getDb) => {
  const getSim = useSim();

  it('counts every org by the status page rule, and the soonest expiry of active accounts', async () => {
    const ctx = createTestContext(getDb(), getSim());
    ctx.clock.set(T0);
    await clearWorkerTables(ctx.db);
    const metrics = createMetrics(ctx);
    const none = await metrics.render();
    expect(samples(none, 'ebay_accounts_by_token_state')).toEqual({});
    expect(samples(none, 'ebay_token_seconds_until_soonest_expiry')).toEqual({ '': Number.NaN });

    const orgs = [await buildOrg(ctx.db), await buildOrg(ctx.db)];
    const set = async (orgIndex: number, change: ReturnType<typeof sql>, status = 'active') => {
      const { accountId } = await buildAccount(ctx, getSim(), { orgId: orgs[orgIndex]!.id });
      await ctx.db.execute(sql`update ebay_tokens set ${change} where account_id = ${accountId}`);
      await ctx.db.execute(sql`update ebay_accounts set status = ${status} where id = ${accountId}`);
    };
    const at = (s: number) => new Date(T0.getTime() + s * 1000).toISOString();
    await set(0, sql`access_expires_at = ${at(3600)}`);
    await set(1, sql`access_expires_at = ${at(3600)}`);
    await set(0, sql`access_expires_at = ${at(300)}`);
    await set(1, sql`access_expires_at = ${at(-5)}`);
    await set(
      1,
      sql`access_expires_at = ${at(3600)}, last_refresh_success = false, consecutive_failures = 3`,
    );
    // Not active: neither its state counts as healthy nor its expiry as the soonest.
    await set(0, sql`access_expires_at = ${at(-7200)}`, 'disabled');

    const text = await metrics.render();
    const byState = samples(text, 'ebay_accounts_by_token_state');
    expect(byState).toEqual({
      '{state="healthy"}': 2,
      '{state="expiring_soon"}': 1,
      '{state="expired"}': 1,
      '{state="failing"}': 1,
      '{state="disabled"}': 1,
    });
    // The same rule as each org's status card.
    const cards = await Promise.all(orgs.map((o) => queryTokenStatus(ctx, o.id, { limit: 1, offset: 0 })));
    const summed: Record<string, number> = {};
    for (const card of cards) {
      for (const [state, n] of Object.entries(card.counts))
        summed[`{state="${state}"}`] = (summed[`{state="${state}"}`] ?? 0) + n;
    }
    expect(byState).toEqual(summed);
    expect(samples(text, 'ebay_token_seconds_until_soonest_expiry')).toEqual({ '': -5 });
    // The refresh plan: the five active accounts fit the budget, all warm.
    expect(samples(text, 'ebay_refresh_plan_accounts')).toEqual({
      '{set="warm"}': 5,
      '{set="on_demand"}': 0,
    });
    expect(samples(text, 'ebay_token_endpoint_calls_last_24h')).toMatchObject({
      '{grant_type="refresh_token"}': 0,
      '{grant_type="client_credentials"}': 0,
    });
    expect(samples(text, 'ebay_refresh_daily_limit')).toEqual({ '': 50_000 });
    expect(samples(text, 'ebay_refresh_paused')).toEqual({ '': 0 });
  });
});
