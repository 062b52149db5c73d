import type { TokenState } from '@ebay-connector/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { createTestContext, useSim } from '../test/appContext.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount, buildOrg } from '../test/factories.ts';
import { queryTokenStatus } from './statusQuery.ts';

/**
 * The status query counts and filters by state in SQL (tokenStateSql) and derives each row
 * of the page in JS (deriveTokenState): both must agree on every state and its boundaries.
 */
describeEachDb('token status by state', (getDb) => {
  const getSim = useSim();

  it('counts, filters and pages every state exactly as deriveTokenState derives it', async () => {
    const ctx = createTestContext(getDb(), getSim());
    const now = new Date('2030-01-01T00:00:00.000Z');
    ctx.clock.set(now);
    const org = await buildOrg(ctx.db);
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
    // [house name, expected state, what is set on its token row, or the account's status]
    const cases: [string, TokenState, SQL | 'disabled' | 'needs_reconnect'][] = [
      ['a-healthy', 'healthy', sql`access_expires_at = ${at(3600)}`],
      ['b-soon', 'expiring_soon', sql`access_expires_at = ${at(900)}`],
      ['c-just-healthy', 'healthy', sql`access_expires_at = ${at(900.001)}`],
      ['d-expired', 'expired', sql`access_expires_at = ${at(0)}`],
      ['e-no-access', 'expired', sql`access_expires_at = null`],
      [
        'f-failing',
        'failing',
        sql`access_expires_at = ${at(3600)}, last_refresh_success = false,
            consecutive_failures = 2, last_error_code = 'ebay_unavailable'`,
      ],
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
      ['j-disabled', 'disabled', 'disabled'],
      ['k-reconnect', 'needs_reconnect', 'needs_reconnect'],
    ];
    for (const [houseName, , change] of cases) {
      const { accountId } = await buildAccount(ctx, getSim(), { orgId: org.id, houseName });
      await ctx.db.execute(
        typeof change === 'string'
          ? sql`update ebay_accounts set status = ${change} where id = ${accountId}`
          : sql`update ebay_tokens set ${change} where account_id = ${accountId}`,
      );
    }

    const all = await queryTokenStatus(ctx, org.id, { limit: 100, offset: 0 });
    expect(all.accounts.map((r) => [r.house_name, r.state])).toEqual(cases.map(([h, s]) => [h, s]));
    const expected: Record<string, number> = {};
    for (const [, state] of cases) expected[state] = (expected[state] ?? 0) + 1;
    expect(all.counts).toEqual(expected);
    expect(all.total).toBe(cases.length);
    expect(all.failing_by_code).toEqual({ ebay_unavailable: 1 });

    for (const state of Object.keys(expected) as TokenState[]) {
      const page = await queryTokenStatus(ctx, org.id, { state, limit: 100, offset: 0 });
      expect(page.total).toBe(expected[state]);
      expect(page.accounts.every((r) => r.state === state)).toBe(true);
      expect(page.counts).toEqual(expected);
    }
    const second = await queryTokenStatus(ctx, org.id, { limit: 3, offset: 3 });
    expect(second.accounts.map((r) => r.house_name)).toEqual(['d-expired', 'e-no-access', 'f-failing']);
    expect(second.total).toBe(cases.length);
  });
});
