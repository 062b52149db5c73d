import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import { createTestContext, type TestContext, useSim } from '../../test/appContext.ts';
import { describeEachDb } from '../../test/db.ts';
import { buildAccount, buildOrg } from '../../test/factories.ts';
import { clearWorkerTables, readTokenRows } from '../../test/workerFixtures.ts';
import { claimDueAccounts } from './claimDue.ts';
import { countDueAccounts } from './counts.ts';
import { markRefreshTokensExpired } from './markExpired.ts';

const T0 = new Date('2030-01-01T12:00:00Z');
const MIN = 60_000;

describeEachDb('claimDueAccounts', (getDb) => {
  const getSim = useSim();
  let ctx: TestContext;
  let orgId: string;

  beforeEach(async () => {
    ctx = createTestContext(getDb(), getSim());
    ctx.clock.set(T0);
    await clearWorkerTables(ctx.db);
    orgId = (await buildOrg(ctx.db)).id;
  });

  const account = async (accessExpiresInSeconds: number, jitterSeconds = 0) => {
    const { accountId } = await buildAccount(ctx, getSim(), { orgId, accessExpiresInSeconds });
    await ctx.db.execute(
      sql`update ebay_tokens set jitter_seconds = ${jitterSeconds} where account_id = ${accountId}`,
    );
    return accountId;
  };
  const claim = (overrides: Partial<Parameters<typeof claimDueAccounts>[1]> = {}) =>
    claimDueAccounts(ctx.db, {
      now: ctx.now(),
      thresholdSeconds: 900,
      owner: 'worker-a',
      leaseSeconds: 60,
      limit: 100,
      notRefreshedSince: ctx.now(),
      ...overrides,
    });
  const ids = (rows: { accountId: string }[]) => rows.map((r) => r.accountId).sort();

  it('claims accounts expiring within the threshold plus their jitter, soonest first', async () => {
    const soon = await account(10 * 60);
    const later = await account(20 * 60);
    const laterWithJitter = await account(19 * 60, 300);
    const farAway = await account(2 * 3600, 300);
    await ctx.db.execute(sql`update ebay_tokens set access_token = null, access_expires_at = null
      where account_id = ${farAway}`);

    expect(await countDueAccounts(ctx.db, { now: ctx.now(), thresholdSeconds: 900 })).toBe(3);
    const claimed = await claim();
    // A missing access token is due first; then by expiry.
    expect(claimed.map((c) => c.accountId)).toEqual([farAway, soon, laterWithJitter]);
    expect(claimed[0]).toMatchObject({ orgId, environment: 'production', consecutiveFailures: 0 });
    expect(claimed.map((c) => c.accountId)).not.toContain(later);

    const rows = await readTokenRows(ctx.db);
    for (const row of rows) {
      const leased = claimed.some((c) => c.accountId === row.account_id);
      expect(row.lease_owner).toBe(leased ? 'worker-a' : null);
      if (leased) expect(row.lease_until).toEqual(new Date(T0.getTime() + MIN));
    }
  });

  it('jitter spreads accounts connected together over several cycles', async () => {
    // 20 accounts connected at the same moment, jitter 0..285 s in steps of 15 s.
    for (let i = 0; i < 20; i++) await account(900 + 150, i * 15);
    // Only those whose jitter covers the extra 150 s are due now; the rest a cycle later.
    const due = () => countDueAccounts(ctx.db, { now: ctx.now(), thresholdSeconds: 900 });
    expect(await due()).toBe(10);
    expect(ids(await claim())).toHaveLength(10);
    ctx.clock.advance(2 * MIN);
    expect(await due()).toBe(18);
    ctx.clock.advance(3 * MIN);
    expect(await due()).toBe(20);
  });

  it('skips inactive accounts, expired refresh tokens, scheduled retries and recent refreshes', async () => {
    const inactive = await account(60);
    const expiredRefresh = await account(60);
    const retryLater = await account(60);
    const retryNow = await account(60);
    const justRefreshed = await account(60);
    await ctx.db.execute(sql`update ebay_accounts set status = 'needs_reconnect' where id = ${inactive}`);
    await ctx.db.execute(sql`update ebay_tokens set refresh_expires_at = ${new Date(T0.getTime() - MIN).toISOString()}
      where account_id = ${expiredRefresh}`);
    await ctx.db.execute(sql`update ebay_tokens set next_attempt_at = ${new Date(T0.getTime() + MIN).toISOString()}
      where account_id = ${retryLater}`);
    await ctx.db.execute(sql`update ebay_tokens set next_attempt_at = ${new Date(T0.getTime() - MIN).toISOString()}
      where account_id = ${retryNow}`);
    await ctx.db.execute(sql`update ebay_tokens set last_refresh_at = ${T0.toISOString()}
      where account_id = ${justRefreshed}`);

    expect(ids(await claim())).toEqual([retryNow]);
  });

  it('never claims a held lease; claims an expired one', async () => {
    const a = await account(60);
    const b = await account(60);
    expect(ids(await claim({ limit: 1 }))).toHaveLength(1);
    const second = await claim({ owner: 'worker-b' });
    expect(second).toHaveLength(1);
    expect(ids(await claim({ owner: 'worker-c' }))).toEqual([]);

    ctx.clock.advance(61_000);
    const taken = await claim({ now: ctx.now(), owner: 'worker-c' });
    expect(ids(taken)).toEqual([a, b].sort());
  });

  it('concurrent claims get disjoint accounts', async () => {
    for (let i = 0; i < 30; i++) await account(60);
    const batches = await Promise.all(
      ['w1', 'w2', 'w3', 'w4', 'w5'].map((owner) => claim({ owner, limit: 7 })),
    );
    const all = batches.flatMap(ids);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(30);
  });

  it('marks expired refresh tokens: needs_reconnect, parked for hours, no eBay call', async () => {
    const expiring = await buildAccount(ctx, getSim(), {
      orgId,
      accessExpiresInSeconds: 60,
      refreshExpiresInSeconds: 120,
    });
    await account(60);
    ctx.clock.advance(3 * MIN);
    const retryAt = new Date(ctx.now().getTime() + 6 * 3600_000);
    const marked = await markRefreshTokensExpired(ctx.db, { now: ctx.now(), retryAt, limit: 10 });
    expect(marked).toEqual([{ accountId: expiring.accountId, orgId, environment: 'production' }]);
    expect(await markRefreshTokensExpired(ctx.db, { now: ctx.now(), retryAt, limit: 10 })).toEqual([]);

    const [acct] = await queryRows(
      ctx.db,
      sql`select status, status_reason from ebay_accounts where id = ${expiring.accountId}`,
      z.object({ status: z.string(), status_reason: z.string() }),
    );
    expect(acct?.status).toBe('needs_reconnect');
    expect(acct?.status_reason).toMatch(/refresh token expired at .*reconnect/i);
    const row = (await readTokenRows(ctx.db)).find((r) => r.account_id === expiring.accountId)!;
    expect(row).toMatchObject({ last_error_code: 'refresh_token_expired', last_refresh_success: false });
    expect(row.next_attempt_at).toEqual(retryAt);
  });
});
