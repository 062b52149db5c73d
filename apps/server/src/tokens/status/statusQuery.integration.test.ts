import type { TokenState } from '@ebay-connector/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { createTestContext, useSim } from '../../test/appContext.ts';
import { describeEachDb } from '../../test/db.ts';
import { buildAccount, buildOrg } from '../../test/factories.ts';
import { COUNTS_CACHE_OPTIONS } from './statusCounts.ts';
import { queryTokenStatus, type TokenStatusFilter } from './statusQuery.ts';

/**
 * The status query counts, filters and shows every state by one rule (tokens/sql/tokenState.ts):
 * each state at its boundaries, in the rows, the counts and the filtered pages alike.
 */
describeEachDb('token status by state', (getDb) => {
  const getSim = useSim();

  it('counts, filters and pages every state at its boundaries by the same rule', async () => {
    const ctx = createTestContext(getDb(), getSim());
    const now = new Date('2030-01-01T00:00:00.000Z');
    ctx.clock.set(now);
    const org = await buildOrg(ctx.db);
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
    // [house name, expected state, what is set on its token row, and the account's status if not active]
    const failed = sql`last_refresh_success = false, consecutive_failures = 2, last_error_code = 'ebay_unavailable'`;
    const cases: [string, TokenState, SQL | null, ('disabled' | 'needs_reconnect')?][] = [
      ['a-healthy', 'healthy', sql`access_expires_at = ${at(3600)}`],
      ['b-soon', 'expiring_soon', sql`access_expires_at = ${at(900)}`],
      ['c-just-healthy', 'healthy', sql`access_expires_at = ${at(900.001)}`],
      ['d-expired', 'expired', sql`access_expires_at = ${at(0)}`],
      ['e-no-access', 'expired', sql`access_expires_at = null`],
      ['f-failing', 'failing', sql`access_expires_at = ${at(3600)}, ${failed}`],
      [
        'f2-failed-no-count',
        'healthy',
        sql`access_expires_at = ${at(3600)}, last_refresh_success = false, consecutive_failures = 0`,
      ],
      ['f3-failing-disabled', 'disabled', failed, 'disabled'],
      ['f4-failing-refresh-expired', 'needs_reconnect', sql`refresh_expires_at = ${at(0)}, ${failed}`],
      ['g-refresh-expired', 'needs_reconnect', sql`refresh_expires_at = ${at(0)}`],
      [
        'h-refresh-warning',
        'expiring_soon',
        sql`access_expires_at = ${at(3600)}, refresh_expires_at = ${at(30 * 86_400)}`,
      ],
      [
        'i-refresh-fine',
        'healthy',
        sql`access_expires_at = ${at(3600)}, refresh_expires_at = ${at(30 * 86_400 + 1)}`,
      ],
      ['j-disabled', 'disabled', null, 'disabled'],
      ['k-reconnect', 'needs_reconnect', null, 'needs_reconnect'],
      // Outside the refresh plan's warm set (refresh_warm false): an expired or expiring token is
      // not a fault, a service asking for it gets it refreshed then.
      ['l-on-demand-expired', 'on_demand', sql`access_expires_at = ${at(0)}`],
      ['m-on-demand-soon', 'on_demand', sql`access_expires_at = ${at(900)}`],
      ['n-on-demand-healthy', 'healthy', sql`access_expires_at = ${at(3600)}`],
      ['o-on-demand-failing', 'failing', sql`access_expires_at = ${at(0)}, ${failed}`],
    ];
    for (const [houseName, , change, status] of cases) {
      const { accountId } = await buildAccount(ctx, getSim(), { orgId: org.id, houseName });
      if (change) await ctx.db.execute(sql`update ebay_tokens set ${change} where account_id = ${accountId}`);
      if (status)
        await ctx.db.execute(sql`update ebay_accounts set status = ${status} where id = ${accountId}`);
      if (houseName.includes('on-demand'))
        await ctx.db.execute(sql`update ebay_accounts set refresh_warm = false where id = ${accountId}`);
    }

    const all = await queryTokenStatus(ctx, org.id, { limit: 100, offset: 0 });
    expect(all.accounts.map((r) => [r.house_name, r.state])).toEqual(cases.map(([h, s]) => [h, s]));
    const expected: Record<string, number> = {};
    for (const [, state] of cases) expected[state] = (expected[state] ?? 0) + 1;
    expect(all.counts).toEqual(expected);
    expect(all.total).toBe(cases.length);
    expect(all.counts_as_of).toBe(now.toISOString());
    // Each breakdown counts only the accounts of its state, so it adds up to that state's count.
    expect(all.failing_by_code).toEqual({ ebay_unavailable: 2 });
    expect(all.needs_reconnect_by_code).toEqual({ ebay_unavailable: 1 });

    for (const state of Object.keys(expected) as TokenState[]) {
      const page = await queryTokenStatus(ctx, org.id, { state, limit: 100, offset: 0 });
      expect(page.total).toBe(expected[state]);
      expect(page.accounts.every((r) => r.state === state)).toBe(true);
      expect(page.counts).toEqual(expected);
    }
    const second = await queryTokenStatus(ctx, org.id, { limit: 3, offset: 3 });
    expect(second.accounts.map((r) => r.house_name)).toEqual(['d-expired', 'e-no-access', 'f-failing']);
    const failingPage = await queryTokenStatus(ctx, org.id, { state: 'failing', limit: 100, offset: 0 });
    expect(failingPage.accounts.map((r) => r.house_name)).toEqual(['f-failing', 'o-on-demand-failing']);
    // The card's "ebay_unavailable ×1" opens exactly the accounts it counts, and the total says so.
    const byCode = { errorCode: 'ebay_unavailable', limit: 100, offset: 0 } as const;
    const failingByCode = await queryTokenStatus(ctx, org.id, { ...byCode, state: 'failing' });
    expect(failingByCode.accounts.map((r) => r.house_name)).toEqual(['f-failing', 'o-on-demand-failing']);
    expect(failingByCode.total).toBe(2);
    const anyStateByCode = await queryTokenStatus(ctx, org.id, byCode);
    expect(anyStateByCode.accounts.map((r) => r.house_name)).toEqual([
      'f-failing',
      'f3-failing-disabled',
      'f4-failing-refresh-expired',
      'o-on-demand-failing',
    ]);
    expect(anyStateByCode.total).toBe(4);
    expect(second.total).toBe(cases.length);
  });

  it('pages by house name then id without gaps or repeats, searches three columns, and sees one org only', async () => {
    const ctx = createTestContext(getDb(), getSim());
    const [mine, theirs] = [await buildOrg(ctx.db), await buildOrg(ctx.db)];
    const houses = ['Zeta', 'Same', 'alpha', 'Same', '50%_off', 'Same', 'Beta', 'Omega'];
    const ids: Record<string, string[]> = { [mine.id]: [], [theirs.id]: [] };
    for (const [i, houseName] of houses.entries()) {
      for (const org of [mine, theirs]) {
        const { accountId } = await buildAccount(ctx, getSim(), {
          orgId: org.id,
          houseName,
          username: `${org === mine ? 'mine' : 'theirs'}_seller_${i}`,
          environment: i % 3 === 0 ? 'sandbox' : 'production',
        });
        ids[org.id]!.push(accountId);
        if (i % 2 === 1) {
          await ctx.db.execute(
            sql`update ebay_tokens set last_refresh_success = false, consecutive_failures = 1 where account_id = ${accountId}`,
          );
        }
      }
    }
    const walk = async (filter: Omit<TokenStatusFilter, 'limit' | 'offset'>) => {
      const seen: string[] = [];
      for (let offset = 0; ; offset += 3) {
        const page = await queryTokenStatus(ctx, mine.id, { ...filter, limit: 3, offset });
        seen.push(...page.accounts.map((r) => r.ebay_account_id));
        if (page.accounts.length < 3) return { seen, total: page.total };
      }
    };
    const all = await queryTokenStatus(ctx, mine.id, { limit: 100, offset: 0 });
    // Equal house names keep one order (by id), so no page repeats or skips one of them.
    const same = all.accounts.filter((r) => r.house_name === 'Same').map((r) => r.ebay_account_id);
    expect(same).toEqual([...same].sort());
    expect(all.accounts.findIndex((r) => r.house_name === 'Same') + 2).toBe(
      all.accounts.findLastIndex((r) => r.house_name === 'Same'),
    );
    expect(new Set(all.accounts.map((r) => r.ebay_account_id))).toEqual(new Set(ids[mine.id]));
    expect(await walk({})).toEqual({ seen: all.accounts.map((r) => r.ebay_account_id), total: 8 });

    const failing = await walk({ state: 'failing' });
    expect(failing.total).toBe(4);
    expect(failing.seen).toEqual(
      all.accounts.filter((r) => r.state === 'failing').map((r) => r.ebay_account_id),
    );
    expect((await walk({ env: 'sandbox' })).total).toBe(3);

    const search = async (term: string) =>
      (await queryTokenStatus(ctx, mine.id, { search: term, limit: 100, offset: 0 })).accounts.map(
        (r) => r.house_name,
      );
    expect(await search('same')).toEqual(['Same', 'Same', 'Same']);
    expect(await search('ALPHA')).toEqual(['alpha']);
    expect(await search('mine_seller_6')).toEqual(['Beta']);
    expect(await search('theirs')).toEqual([]);
    expect(await search('%_o')).toEqual(['50%_off']);
    const one = await queryTokenStatus(ctx, mine.id, { search: '  zet ', limit: 100, offset: 0 });
    expect(one).toMatchObject({ total: 1, counts: { healthy: 1 } });

    const theirView = await queryTokenStatus(ctx, theirs.id, { limit: 100, offset: 0 });
    expect(new Set(theirView.accounts.map((r) => r.ebay_account_id))).toEqual(new Set(ids[theirs.id]));
    expect(theirView.counts).toEqual({ healthy: 4, failing: 4 });
    const foreign = await queryTokenStatus(ctx, mine.id, {
      accountId: ids[theirs.id]![0],
      limit: 100,
      offset: 0,
    });
    expect(foreign).toMatchObject({ accounts: [], total: 0, counts: {} });
  });

  it('shows each account’s own policy, the one in force and whether the plan keeps it warm', async () => {
    const ctx = createTestContext(getDb(), getSim());
    const org = await buildOrg(ctx.db);
    const build = async (houseName: string, set: SQL) => {
      const { accountId } = await buildAccount(ctx, getSim(), { orgId: org.id, houseName });
      await ctx.db.execute(sql`update ebay_accounts set ${set} where id = ${accountId}`);
    };
    await build('a-default', sql`refresh_policy = null, refresh_warm = true`);
    await build('b-auto-cold', sql`refresh_policy = 'auto', refresh_warm = false`);
    await build('c-on-demand', sql`refresh_policy = 'on_demand', refresh_warm = false`);
    await build('d-warm', sql`refresh_policy = 'warm', refresh_warm = true`);
    const rows = (await queryTokenStatus(ctx, org.id, { limit: 100, offset: 0 })).accounts;
    expect(rows.map((r) => [r.house_name, r.refresh_policy, r.effective_policy, r.refresh_warm])).toEqual([
      ['a-default', null, 'auto', true],
      ['b-auto-cold', 'auto', 'auto', false],
      ['c-on-demand', 'on_demand', 'on_demand', false],
      ['d-warm', 'warm', 'warm', true],
    ]);
  });

  it('reuses the counts of a large org for a few seconds and says since when; the rows stay current', async () => {
    const ctx = createTestContext(getDb(), getSim());
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    ctx.clock.set(t0);
    const org = await buildOrg(ctx.db);
    const n = COUNTS_CACHE_OPTIONS.minAccounts;
    await ctx.db.execute(sql`insert into ebay_accounts (org_id, environment, house_name, ebay_user_id)
      select ${org.id}, 'production', 'House ' || lpad(g::text, 5, '0'), 'user' || g from generate_series(1, ${n}) g`);
    await ctx.db.execute(sql`insert into ebay_tokens (account_id, refresh_token, access_expires_at, refresh_expires_at)
      select id, 'x', ${t0.toISOString()}::timestamptz + interval '1 hour', ${t0.toISOString()}::timestamptz + interval '400 days'
      from ebay_accounts where org_id = ${org.id}`);
    const first = await queryTokenStatus(ctx, org.id, { limit: 10, offset: 0 });
    expect(first).toMatchObject({ total: n, counts: { healthy: n }, counts_as_of: t0.toISOString() });

    await ctx.db.execute(sql`update ebay_tokens set last_refresh_success = false, consecutive_failures = 1
      where account_id in (select id from ebay_accounts where org_id = ${org.id} and house_name <= 'House 00002')`);
    ctx.clock.advance(COUNTS_CACHE_OPTIONS.freshMs);
    const soon = await queryTokenStatus(ctx, org.id, { state: 'failing', limit: 10, offset: 0 });
    expect(soon.accounts.map((r) => r.house_name)).toEqual(['House 00001', 'House 00002']);
    expect(soon).toMatchObject({ counts: { healthy: n }, counts_as_of: t0.toISOString() });

    ctx.clock.advance(COUNTS_CACHE_OPTIONS.maxAgeMs);
    const later = await queryTokenStatus(ctx, org.id, { state: 'failing', limit: 10, offset: 0 });
    expect(later).toMatchObject({
      total: 2,
      counts: { healthy: n - 2, failing: 2 },
      counts_as_of: ctx.now().toISOString(),
    });
    // A narrower question counts few accounts, so it is always answered afresh.
    const searched = await queryTokenStatus(ctx, org.id, { search: 'House 0000', limit: 10, offset: 0 });
    expect(searched.counts).toEqual({ healthy: 7, failing: 2 });
  });
});
