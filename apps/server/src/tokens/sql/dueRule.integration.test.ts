import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import { dbDateOrNull } from '../../db/rows.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';
import { createTestContext, useSim } from '../../test/appContext.ts';
import { describeEachDb } from '../../test/db.ts';
import { buildAccount, buildOrg } from '../../test/factories.ts';
import { clearWorkerTables } from '../../test/workerFixtures.ts';
import { queryTokenStatus } from '../status/statusQuery.ts';
import { claimDueAccounts } from './claimDue.ts';
import { countDueAccounts } from './counts.ts';
import { isDue, nextRefreshAt } from './dueRule.ts';
import { warmDueRule } from './dueSchedule.ts';

const T0 = new Date('2030-01-01T12:00:00.000Z');
const THRESHOLD = 900;
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/**
 * The due rule is written once (dueRule.ts) and read three ways: the worker's claim, the due
 * count, and the status page's `next_refresh_at`. They must agree at every boundary.
 */
describeEachDb('the due rule', (getDb) => {
  const getSim = useSim();

  it('claims exactly the accounts whose next_refresh_at has come, and shows when the others will', async () => {
    // The cycle-grid rule (claim passes off): threshold + the full jitter.
    const ctx = createTestContext(getDb(), getSim(), { env: { TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: '0' } });
    ctx.clock.set(T0);
    await clearWorkerTables(ctx.db);
    const org = await buildOrg(ctx.db);
    // [house name, token row change, account status, expected next_refresh_at]
    const cases: [string, SQL, 'active' | 'needs_reconnect', Date | null][] = [
      ['a-expiring', sql`access_expires_at = ${at(600).toISOString()}`, 'active', at(600 - THRESHOLD)],
      [
        'b-at-threshold-plus-jitter',
        sql`access_expires_at = ${at(THRESHOLD + 60).toISOString()}, jitter_seconds = 60`,
        'active',
        T0,
      ],
      [
        'c-one-second-later',
        sql`access_expires_at = ${at(THRESHOLD + 61).toISOString()}, jitter_seconds = 60`,
        'active',
        at(1),
      ],
      [
        'd-no-access-token',
        sql`access_token = null, access_expires_at = ${at(7200).toISOString()}`,
        'active',
        T0,
      ],
      [
        'e-backoff-pending',
        sql`access_expires_at = ${at(60).toISOString()}, next_attempt_at = ${at(600).toISOString()}`,
        'active',
        at(600),
      ],
      [
        'f-backoff-over',
        sql`access_expires_at = ${at(60).toISOString()}, next_attempt_at = ${at(-60).toISOString()}`,
        'active',
        // The backoff ended after the expiry-based due time: that is when it became due.
        at(-60),
      ],
      [
        'g-refresh-expired',
        sql`access_expires_at = ${at(60).toISOString()}, refresh_expires_at = ${T0.toISOString()}`,
        'active',
        null,
      ],
      ['h-needs-reconnect', sql`access_expires_at = ${at(60).toISOString()}`, 'needs_reconnect', null],
      ['i-healthy', sql`access_expires_at = ${at(7200).toISOString()}`, 'active', at(7200 - THRESHOLD)],
    ];
    const ids: Record<string, string> = {};
    for (const [houseName, change, status] of cases) {
      const { accountId } = await buildAccount(ctx, getSim(), { orgId: org.id, houseName });
      await ctx.db.execute(sql`update ebay_tokens set jitter_seconds = 0 where account_id = ${accountId}`);
      await ctx.db.execute(sql`update ebay_tokens set ${change} where account_id = ${accountId}`);
      await ctx.db.execute(sql`update ebay_accounts set status = ${status} where id = ${accountId}`);
      ids[houseName] = accountId;
    }
    // An account whose token row is missing is never due and has no next refresh.
    await ctx.db.execute(sql`insert into ebay_accounts (org_id, environment, house_name, ebay_user_id)
      values (${org.id}, 'production', 'j-no-token-row', 'user-without-token')`);

    const q = { now: T0, thresholdSeconds: THRESHOLD };
    const rows = await queryRows(
      ctx.db,
      sql`select ${a.houseName}, ${isDue(q)} as due, ${nextRefreshAt(q)} as next
          from ebay_accounts left join ebay_tokens on ${t.accountId} = ${a.id}
          where ${a.orgId} = ${org.id} order by ${a.houseName}`,
      z.object({ house_name: z.string(), due: z.boolean(), next: dbDateOrNull }),
    );
    const expected = [
      ...cases.map(([house, , , next]) => ({ house, next })),
      { house: 'j-no-token-row', next: null },
    ];
    expect(rows.map((r) => ({ house: r.house_name, next: r.next }))).toEqual(expected);
    for (const r of rows) {
      expect({ house: r.house_name, due: r.due }).toEqual({
        house: r.house_name,
        due: r.next !== null && r.next.getTime() <= T0.getTime(),
      });
    }

    const due = rows.filter((r) => r.due).map((r) => ids[r.house_name]);
    expect(due.length).toBe(4);
    expect(await countDueAccounts(ctx.db, q)).toBe(due.length);
    const claimed = await claimDueAccounts(ctx.db, {
      ...q,
      owner: 'due-rule-test',
      leaseSeconds: 60,
      limit: 100,
      notRefreshedSince: T0,
    });
    expect(claimed.map((c) => c.accountId).sort()).toEqual([...due].sort());

    const page = await queryTokenStatus(ctx, org.id, { limit: 100, offset: 0 });
    expect(page.accounts.map((r) => ({ house: r.house_name, next: r.next_refresh_at }))).toEqual(
      expected.map(({ house, next }) => ({ house, next: next?.toISOString() ?? null })),
    );
  });

  it('with claim passes (the default), the margin plus a tenth of the jitter, the same in the claim and the status page', async () => {
    const ctx = createTestContext(getDb(), getSim());
    ctx.clock.set(T0);
    await clearWorkerTables(ctx.db);
    const org = await buildOrg(ctx.db);
    const margin = ctx.env.TOKEN_REFRESH_CLAIM_MARGIN_SECONDS;
    // [house name, seconds left, jitter, expected next_refresh_at]: jitter 300 counts 30 s.
    const cases: [string, number, number, Date][] = [
      ['a-within-margin-and-jitter', margin + 20, 300, at(-10)],
      ['b-outside-without-jitter', margin + 20, 0, at(20)],
      ['c-old-threshold-only', 900, 300, at(900 - margin - 30)],
    ];
    for (const [houseName, left, jitter] of cases) {
      const { accountId } = await buildAccount(ctx, getSim(), { orgId: org.id, houseName });
      await ctx.db.execute(
        sql`update ebay_tokens set jitter_seconds = ${jitter}, access_expires_at = ${at(left).toISOString()} where account_id = ${accountId}`,
      );
    }
    const claimed = await claimDueAccounts(ctx.db, {
      now: T0,
      ...warmDueRule(ctx.env),
      owner: 'due-rule-test',
      leaseSeconds: 60,
      limit: 100,
      notRefreshedSince: T0,
    });
    expect(claimed.map((c) => c.houseName)).toEqual(['a-within-margin-and-jitter']);
    const page = await queryTokenStatus(ctx, org.id, { limit: 100, offset: 0 });
    expect(page.accounts.map((r) => ({ house: r.house_name, next: r.next_refresh_at }))).toEqual(
      cases.map(([house, , , next]) => ({ house, next: next.toISOString() })),
    );
  });
});
