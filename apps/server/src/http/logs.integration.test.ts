import { sql } from 'drizzle-orm';
import { writeConnectLog } from '../logs/connectLog.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount, buildOrg } from '../test/factories.ts';
import { type Client, signedInClient, useHarness } from '../test/harness.ts';

const A = '/api/admin/ebay';

/** A stored cycle plan: the deployment's counts (3,812 / 16,188) and the keyset's quota. */
const CYCLE_PLAN = {
  default_policy: 'auto',
  warm: 3812,
  on_demand: 16188,
  limit: 50_000,
  budget: 40_000,
  reserve_percent: 20,
  calls_per_warm_account: 13.4,
  used_24h: { refresh_token: 24_410, authorization_code: 2, client_credentials: 0 },
  projected_24h: 41_000,
  warning: true,
  budget_reached: false,
  paused_until: null,
};

describeEachDb('log views, token status and loop status', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  let otherOrgId: string;
  let accountId: string;
  let sandboxId: string;
  beforeAll(async () => {
    const { ctx, sim } = h();
    admin = await signedInClient(h());
    otherOrgId = (await buildOrg(ctx.db)).id;
    accountId = (await buildAccount(ctx, sim, { orgId: admin.orgId, houseName: 'Alpha Books' })).accountId;
    sandboxId = (
      await buildAccount(ctx, sim, { orgId: admin.orgId, houseName: 'Beta Sandbox', environment: 'sandbox' })
    ).accountId;
    await buildAccount(ctx, sim, {
      orgId: admin.orgId,
      houseName: 'Gamma Broken',
      brokenRefreshToken: 'auth_failed',
    });
    await buildAccount(ctx, sim, { orgId: otherOrgId, houseName: 'Other Org Shop' });
    // History: scheduled, debug and manual attempts, a failure, a token view and a cycle marker.
    const base = { orgId: admin.orgId, accountId, environment: 'production' as const };
    await writeConnectLog(ctx.db, { ...base, action: 'token_refreshed', source: 'scheduled' });
    await writeConnectLog(ctx.db, { ...base, action: 'token_refresh_debug', source: 'debug' });
    await writeConnectLog(ctx.db, {
      ...base,
      action: 'token_refresh_failed',
      source: 'manual',
      error: { code: 'invalid_grant', message: 'revoked' },
    });
    await writeConnectLog(ctx.db, {
      ...base,
      accountId: sandboxId,
      environment: 'sandbox',
      action: 'token_refreshed',
      source: 'scheduled',
    });
    await writeConnectLog(ctx.db, { ...base, action: 'connect_completed', source: 'connect' });
    await writeConnectLog(ctx.db, {
      orgId: null,
      accountId: null,
      environment: null,
      action: 'token_refresh_cycle',
      source: 'scheduled',
      durationMs: 1234,
      summary: {
        cycle_id: 'c-1',
        started_at: '2025-12-01T12:00:00.000Z',
        finished_at: '2025-12-01T12:00:01.234Z',
        duration_ms: 1234,
        checked: 40,
        due: 7,
        refreshed: 5,
        failed: 2,
        failed_by_code: { decrypt_failed: 2 },
        quota: { calls_24h: 48_765, projected_daily: 48_765, limit: 50_000, warning: false },
        circuit_open: false,
        by_org: {
          [admin.orgId]: { due: 3, refreshed: 3, failed: 0, failed_by_code: {} },
          [otherOrgId]: { due: 4, refreshed: 2, failed: 2, failed_by_code: { decrypt_failed: 2 } },
        },
        plan: CYCLE_PLAN,
        plan_by_org: {
          [admin.orgId]: { warm: 3, on_demand: 1 },
          [otherOrgId]: { warm: 3809, on_demand: 16187 },
        },
      },
    });
  });

  it('shows the JSON viewer only token actions, newest first', async () => {
    const res = await admin.get(`${A}/tokens/logs`);
    expect(res.statusCode).toBe(200);
    const actions = res.json().logs.map((l: { action: string }) => l.action);
    expect(actions).toEqual(['token_refreshed', 'token_refresh_failed', 'token_refreshed']);
    expect(res.json().logs[0].house_name).toBe('Beta Sandbox');
    expect((await admin.get(`${A}/tokens/logs?env=production`)).json().logs).toHaveLength(2);
  });

  it("presents a cycle marker with its timing and only this org's counts", async () => {
    const entries = (await admin.get(`${A}/tokens/terminal-logs`)).json().entries;
    const cycle = entries.find((e: { action: string }) => e.action === 'token_refresh_cycle');
    expect(cycle.summary).toEqual({
      cycle_id: 'c-1',
      started_at: '2025-12-01T12:00:00.000Z',
      finished_at: '2025-12-01T12:00:01.234Z',
      duration_ms: 1234,
      circuit_open: false,
      due: 3,
      refreshed: 3,
      failed: 0,
      failed_by_code: {},
      // The keyset's quota figures, as on the Workers page, with this org's own warm set.
      plan: { ...CYCLE_PLAN, warm: 3, on_demand: 1 },
    });
    const stranger = await signedInClient(h());
    const theirs = (await stranger.get(`${A}/tokens/terminal-logs`)).json().entries;
    expect(theirs).toHaveLength(1);
    expect(theirs[0].summary).toMatchObject({ due: 0, refreshed: 0, failed: 0 });
    expect(theirs[0].summary.plan).toMatchObject({ warm: 0, on_demand: 0, limit: 50_000 });
    expect(JSON.stringify(theirs)).not.toContain('48765');
    expect(JSON.stringify(theirs)).not.toMatch(/3812|16188|3809|16187/);
  });

  it('filters the terminal by source, environment, account, errors and kind', async () => {
    const actionsOf = async (query: string) =>
      (await admin.get(`${A}/tokens/terminal-logs?${query}`))
        .json()
        .entries.map((e: { action: string }) => e.action);
    expect(await actionsOf('')).toEqual([
      'token_refresh_cycle',
      'token_refreshed',
      'token_refresh_failed',
      'token_refresh_debug',
      'token_refreshed',
    ]);
    expect(await actionsOf('source=debug')).toEqual(['token_refresh_debug']);
    expect(await actionsOf('source=debug,manual')).toEqual(['token_refresh_failed', 'token_refresh_debug']);
    expect(await actionsOf('source=scheduled&env=sandbox')).toEqual([
      'token_refresh_cycle',
      'token_refreshed',
    ]);
    expect(await actionsOf(`ebay_account_id=${sandboxId}`)).toEqual(['token_refreshed']);
    expect(await actionsOf('errors_only=true')).toEqual(['token_refresh_failed']);
    expect(await actionsOf('kind=connect')).toEqual(['connect_completed']);
    expect((await actionsOf('kind=all')).length).toBe(6);
  });

  it('pages by before_id without gaps or repeats', async () => {
    const all = (await admin.get(`${A}/tokens/terminal-logs?kind=all`))
      .json()
      .entries.map((e: { id: number }) => e.id);
    const seen: number[] = [];
    let next: number | null = null;
    do {
      const page: { entries: { id: number }[]; next_before_id: number | null } = (
        await admin.get(`${A}/tokens/terminal-logs?kind=all&limit=4${next ? `&before_id=${next}` : ''}`)
      ).json();
      seen.push(...page.entries.map((e) => e.id));
      next = page.next_before_id;
    } while (next !== null);
    expect(seen).toEqual(all);
  });

  it('masks on the way out a transcript that somehow got stored unmasked', async () => {
    const { ctx, sim } = h();
    const reader = await signedInClient(h());
    const token = `v^1.1#i^1#p^3#r^1#I^3#f^0#t^${'Ul4xMF8xOjQ2QkY'.repeat(8)}=`;
    const basic = Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64');
    await writeConnectLog(ctx.db, {
      orgId: reader.orgId,
      accountId: null,
      environment: 'production',
      action: 'token_refreshed',
      source: 'manual',
      request: {
        method: 'POST',
        url: 'https://api.ebay.com/identity/v1/oauth2/token',
        headers: { Authorization: `Basic ${basic}` },
        body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}&password=hunter2-hunter2`,
      },
      response: {
        status_code: 200,
        reason: 'OK',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ access_token: token, echo: sim.clientSecret }),
      },
    });
    const res = await reader.get(`${A}/tokens/terminal-logs`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const entry = res.json().entries.find((e: { action: string }) => e.action === 'token_refreshed');
    expect(entry.request.headers.Authorization).toBe(`Basic ${sim.clientId}:********`);
    for (const secret of [token, encodeURIComponent(token), sim.clientSecret, basic, 'hunter2-hunter2']) {
      expect(res.body).not.toContain(secret);
    }
  });

  it('lists token status with counts by state, search, state filter and paging', async () => {
    const res = await admin.get(`${A}/tokens/status`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    expect(body.accounts.map((a: { house_name: string }) => a.house_name)).toEqual([
      'Alpha Books',
      'Beta Sandbox',
      'Gamma Broken',
    ]);
    expect(body.counts).toEqual({ healthy: 3 });
    const alpha = body.accounts[0];
    expect(Date.parse(alpha.next_refresh_at)).toBeLessThan(Date.parse(alpha.access_token_expires_at));
    expect((await admin.get(`${A}/tokens/status?search=beta`)).json().accounts).toHaveLength(1);
    expect((await admin.get(`${A}/tokens/status?search=%25`)).json().accounts).toHaveLength(0);
    expect((await admin.get(`${A}/tokens/status?env=sandbox`)).json().total).toBe(1);
    expect((await admin.get(`${A}/tokens/status?state=expired`)).json().total).toBe(0);
    const page = (await admin.get(`${A}/tokens/status?limit=1&offset=1`)).json();
    expect(page.accounts.map((a: { house_name: string }) => a.house_name)).toEqual(['Beta Sandbox']);
    expect(page.total).toBe(3);
  });

  it("marks a loop stale when its last finish is older than three intervals, and shows only this org's summary", async () => {
    const { ctx } = h();
    const now = Date.now();
    const summary = JSON.stringify({
      cycle_id: 'c-2',
      duration_ms: 10,
      checked: 40,
      due: 7,
      by_org: { [admin.orgId]: { due: 1, refreshed: 1, failed: 0, failed_by_code: {} } },
    });
    await ctx.db.execute(sql`
      insert into background_workers (name, interval_seconds, last_started_at, last_finished_at, last_status, last_summary)
      values ('token_refresh', 600, ${new Date(now - 60_000).toISOString()}::timestamptz,
              ${new Date(now - 59_000).toISOString()}::timestamptz, 'ok', ${summary}::jsonb),
             ('old_loop', 60, ${new Date(now - 200_000).toISOString()}::timestamptz,
              ${new Date(now - 181_000).toISOString()}::timestamptz, 'error', null)`);
    const loops = (await admin.get(`${A}/workers/loop-status`)).json().loops;
    expect(loops.map((l: { name: string; stale: boolean }) => [l.name, l.stale])).toEqual([
      ['old_loop', true],
      ['token_refresh', false],
    ]);
    expect(loops[1].last_summary).toEqual({
      cycle_id: 'c-2',
      duration_ms: 10,
      due: 1,
      refreshed: 1,
      failed: 0,
      failed_by_code: {},
    });
  });
});

describeEachDb('log answers checked against the contract', (getDb) => {
  const h = useHarness(getDb);

  it('answers 500 rather than an entry the contract does not allow, on both log routes', async () => {
    const { ctx, sim } = h();
    const admin = await signedInClient(h());
    const { accountId } = await buildAccount(ctx, sim, { orgId: admin.orgId });
    // A row no code of this version writes: a source outside the contract.
    await ctx.db.execute(sql`
      insert into ebay_connect_logs (org_id, account_id, environment, action, source)
      values (${admin.orgId}::uuid, ${accountId}::uuid, 'production', 'token_refreshed', 'legacy_import')`);
    for (const url of [`${A}/tokens/logs`, `${A}/tokens/terminal-logs`]) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(500);
      expect(res.json().error.code).toBe('internal_error');
      expect(res.body).not.toContain('legacy_import');
    }
  });
});
