import { sql } from 'drizzle-orm';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, signedInClient, useHarness } from '../test/harness.ts';
import { refreshPlanForOrg } from '../workers/planState.ts';
import { runTokenRefreshCycle } from '../workers/tokenRefreshWorker.ts';

const A = '/api/admin/ebay';

/** Issue 12: the refresh policy API and the refresh plan on the Workers page's status answer. */
describeEachDb('refresh policy and plan over HTTP', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  let viewer: Client;
  beforeAll(async () => {
    admin = await signedInClient(h());
    viewer = await signedInClient(h(), { orgId: admin.orgId, role: 'viewer' });
  });

  const dueAccount = async (orgId = admin.orgId) =>
    (await buildAccount(h().ctx, h().sim, { orgId, accessExpiresInSeconds: 60 })).accountId;

  it('an admin sets an account to on_demand: the worker leaves it; warm brings it back', async () => {
    const accountId = await dueAccount();
    const res = await admin.patch(`${A}/accounts/${accountId}`, { refresh_policy: 'on_demand' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      account: { id: accountId },
      refresh_policy: 'on_demand',
      effective_policy: 'on_demand',
      warm: false,
    });
    const lastRefresh = async () => {
      const result = await h().ctx.db.execute(
        sql`select last_refresh_at from ebay_tokens where account_id = ${accountId}`,
      );
      return (result as unknown as { rows: { last_refresh_at: unknown }[] }).rows[0]?.last_refresh_at ?? null;
    };
    await runTokenRefreshCycle(h().ctx);
    expect(await lastRefresh()).toBeNull();

    const warm = await admin.patch(`${A}/accounts/${accountId}`, { refresh_policy: 'warm' });
    expect(warm.json()).toMatchObject({ refresh_policy: 'warm', effective_policy: 'warm', warm: true });
    await runTokenRefreshCycle(h().ctx);
    expect(await lastRefresh()).not.toBeNull();

    // The account page says so, with the last use by a service.
    await h().ctx.db.execute(
      sql`update ebay_accounts set last_used_at = '2030-01-01T12:00:00Z' where id = ${accountId}`,
    );
    expect((await viewer.get(`${A}/accounts/${accountId}`)).json()).toMatchObject({
      refresh_policy: { policy: 'warm', effective_policy: 'warm', warm: true },
      last_used_at: '2030-01-01T12:00:00.000Z',
    });

    // null: back to the deployment default (TOKEN_REFRESH_POLICY, auto).
    const reset = await admin.patch(`${A}/accounts/${accountId}`, { refresh_policy: null });
    expect(reset.json()).toMatchObject({ refresh_policy: null, effective_policy: 'auto' });
  });

  it('refuses a bad policy (400), a viewer (403) and another org’s account (404)', async () => {
    const accountId = await dueAccount();
    const bad = await admin.patch(`${A}/accounts/${accountId}`, { refresh_policy: 'sometimes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/refresh_policy/);
    expect((await admin.patch(`${A}/accounts/${accountId}`, {})).statusCode).toBe(400);
    expect((await viewer.patch(`${A}/accounts/${accountId}`, { refresh_policy: 'warm' })).statusCode).toBe(
      403,
    );
    const stranger = await signedInClient(h());
    const foreign = await stranger.patch(`${A}/accounts/${accountId}`, { refresh_policy: 'on_demand' });
    expect(foreign.statusCode).toBe(404);
    const auto = await admin.patch(`${A}/accounts/${accountId}`, { refresh_policy: 'auto' });
    expect(auto.json()).toMatchObject({ refresh_policy: 'auto', warm: true });
  });

  it('the status answer shows the plan and the quota; warm and on-demand count only the org’s own accounts', async () => {
    const org = await signedInClient(h());
    const [kept, left] = [await dueAccount(org.orgId), await dueAccount(org.orgId)];
    await org.patch(`${A}/accounts/${left}`, { refresh_policy: 'on_demand' });
    await runTokenRefreshCycle(h().ctx);

    const body = (await org.get(`${A}/workers/loop-status`)).json();
    expect(body.refresh_plan).toMatchObject({
      default_policy: 'auto',
      warm: 1,
      on_demand: 1,
      limit: 50_000,
      budget: 40_000,
      reserve_percent: 20,
      calls_per_warm_account: 12.28,
      warning: false,
      budget_reached: false,
      paused_until: null,
    });
    // The keyset's calls of the last 24 h, by grant type: this suite's refreshes and connects.
    expect(body.refresh_plan.used_24h.refresh_token).toBeGreaterThanOrEqual(1);
    expect(body.refresh_plan.used_24h).toMatchObject({
      authorization_code: expect.any(Number),
      client_credentials: 0,
    });
    expect(body.refresh_plan.projected_24h).toBeGreaterThan(0);
    expect(kept).not.toBe(left);
    // Another org sees none of these accounts in its counts.
    const other = (await signedInClient(h())).get(`${A}/workers/loop-status`);
    expect((await other).json().refresh_plan).toMatchObject({ warm: 0, on_demand: 0 });
  });
  it('the plan carries the keyset’s calls per clock hour for the last 24 h, then the projection', async () => {
    const org = await signedInClient(h());
    const accountId = await dueAccount(org.orgId);
    const insertCalls = (startedAt: string, n: number, triggeredBy = 'scheduled') =>
      h().ctx.db.execute(
        sql`insert into ebay_token_refresh_logs
              (org_id, account_id, started_at, finished_at, success, triggered_by, duration_ms)
            select ${org.orgId}, ${accountId}, ${startedAt}::timestamptz, ${startedAt}::timestamptz, true, ${triggeredBy}, 50
            from generate_series(1, ${n}::int)`,
      );
    await insertCalls('2031-06-01T12:10:00Z', 4); // the current hour, partial
    await insertCalls('2031-06-01T09:59:59Z', 2, 'on_demand'); // 09:00
    await insertCalls('2031-05-31T13:00:00Z', 3); // the oldest hour shown
    await insertCalls('2031-05-31T12:59:59Z', 5); // before it: counted nowhere
    // Counted at a fixed time (the session would not outlive a moved clock), then over HTTP now.
    const plan = await refreshPlanForOrg(h().ctx, org.orgId, new Date('2031-06-01T12:30:00Z'));
    expect(plan.hourly).toHaveLength(48);
    const byHour = Object.fromEntries(plan.hourly.map((p) => [p.hour, p]));
    expect(plan.hourly[0]?.hour).toBe('2031-05-31T13:00:00.000Z');
    expect(byHour['2031-05-31T13:00:00.000Z']).toMatchObject({ calls: 3, projected: null });
    expect(byHour['2031-06-01T09:00:00.000Z']).toMatchObject({ calls: 2, projected: null });
    expect(byHour['2031-06-01T11:00:00.000Z']).toMatchObject({ calls: 0, projected: null });
    expect(plan.hourly[23]).toMatchObject({ hour: '2031-06-01T12:00:00.000Z', calls: 4, projected: null });
    expect(plan.hourly.slice(0, 24).reduce((sum, p) => sum + (p.calls ?? 0), 0)).toBe(9);
    // The next 24 h: the projection spread evenly.
    expect(plan.hourly[24]?.hour).toBe('2031-06-01T13:00:00.000Z');
    const perHour = Math.round(plan.projected_24h / 24);
    expect(perHour).toBeGreaterThan(0);
    for (const point of plan.hourly.slice(24))
      expect(point).toEqual({ hour: point.hour, calls: null, projected: perHour });

    const body = (await org.get(`${A}/workers/loop-status`)).json();
    const hourly = body.refresh_plan.hourly as { hour: string; calls: number | null }[];
    expect(hourly).toHaveLength(48);
    const currentHour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    expect(Date.parse(hourly[23]?.hour ?? '')).toBeLessThanOrEqual(currentHour);
    expect(Date.parse(hourly[24]?.hour ?? '') - Date.parse(hourly[0]?.hour ?? '')).toBe(24 * 3_600_000);
    // This suite's own refreshes (earlier tests, real time) are in the last 24 h.
    expect(hourly.slice(0, 24).reduce((sum, p) => sum + (p.calls ?? 0), 0)).toBeGreaterThanOrEqual(1);
  });
});
