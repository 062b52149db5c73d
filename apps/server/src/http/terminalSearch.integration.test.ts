import { sql } from 'drizzle-orm';
import { writeConnectLog } from '../logs/connectLog.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, signedInClient, useHarness } from '../test/harness.ts';

const T = '/api/admin/ebay/tokens/terminal-logs';

interface Entry {
  id: number;
  action: string;
  house_name: string | null;
  error: { code: string; message: string } | null;
  created_at: string;
}

describeEachDb('terminal history: search and filters', (getDb, kind) => {
  const h = useHarness(getDb);
  let admin: Client;
  let otherAdmin: Client;
  let oldMatchId: number;
  let maskedId: number;
  let cycleId: number;
  const cycleStart = new Date(Date.now() - 3_600_000);
  beforeAll(async () => {
    const { ctx, sim } = h();
    admin = await signedInClient(h());
    otherAdmin = await signedInClient(h());
    const other = otherAdmin.orgId;
    const alpha = await buildAccount(ctx, sim, {
      orgId: admin.orgId,
      houseName: 'Alpha Books',
      username: 'alpha_seller',
    });
    const beta = await buildAccount(ctx, sim, {
      orgId: admin.orgId,
      houseName: 'Beta Outdoor',
      username: 'beta_seller',
    });
    const theirs = await buildAccount(ctx, sim, {
      orgId: other,
      houseName: 'Alpha Rival',
      username: 'rival_seller',
    });
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    // The oldest entry: a failure with a distinctive message, far below the first page.
    oldMatchId = await writeConnectLog(ctx.db, {
      orgId: admin.orgId,
      accountId: beta.accountId,
      environment: 'production',
      action: 'token_refresh_failed',
      source: 'scheduled',
      error: { code: 'decrypt_failed', message: 'key k-2019 is not in the key ring' },
      createdAt: at(600),
    });
    // The other org's entries say the same things and must never show.
    for (const message of ['key k-2019 is not in the key ring', 'Beta Outdoor']) {
      await writeConnectLog(ctx.db, {
        orgId: other,
        accountId: theirs.accountId,
        environment: 'production',
        action: 'token_refresh_failed',
        source: 'scheduled',
        error: { code: 'decrypt_failed', message },
        createdAt: at(500),
      });
    }
    // A message holding a token: masked when shown, so a search for the hidden part finds nothing.
    maskedId = await writeConnectLog(ctx.db, {
      orgId: admin.orgId,
      accountId: beta.accountId,
      environment: 'production',
      action: 'token_refresh_failed',
      source: 'scheduled',
      error: { code: 'invalid_request', message: 'bad token v^1.1#i^1#p^3#r^1#I^3#f^0#t^Ul4xSECRETPART9' },
      createdAt: at(550),
    });
    cycleId = await writeConnectLog(ctx.db, {
      orgId: null,
      accountId: null,
      environment: null,
      action: 'token_refresh_cycle',
      source: 'scheduled',
      summary: {
        cycle_id: 'c-1',
        started_at: cycleStart.toISOString(),
        by_org: { [other]: { failed_by_code: { decrypt_failed: 1 }, house: 'Alpha Rival' } },
      },
      createdAt: cycleStart,
    });
    await writeConnectLog(ctx.db, {
      orgId: admin.orgId,
      accountId: alpha.accountId,
      environment: 'production',
      action: 'token_refresh_failed',
      source: 'manual',
      error: { code: 'invalid_grant', message: 'the refresh token was revoked' },
      createdAt: new Date(cycleStart.getTime() + 500),
    });
    // 250 newer successes of Alpha Books: a first page of 200 holds none of the above.
    await ctx.db.execute(sql`
      insert into ebay_connect_logs (org_id, account_id, environment, action, source, created_at)
      select ${admin.orgId}::uuid, ${alpha.accountId}::uuid, 'production', 'token_refreshed', 'scheduled',
             now() - make_interval(secs => 250 - g)
      from generate_series(1, 250) g`);
  });

  const get = async (c: Client, query: string) => {
    const res = await c.get(`${T}?${query.replaceAll(' ', '%20')}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { entries: Entry[]; next_before_id: number | null };
  };

  it('finds a match older than the first page, case-insensitively, in its own org only', async () => {
    const firstPage = await get(admin, '');
    expect(firstPage.entries.map((e) => e.id)).not.toContain(oldMatchId);

    const found = await get(admin, 'q=K-2019 IS NOT');
    expect(found.entries.map((e) => e.id)).toEqual([oldMatchId]);
    expect(found.entries[0]!.house_name).toBe('Beta Outdoor');
    expect(found.next_before_id).toBeNull();
    // The other org, searching the same words, sees only its own entry.
    const theirs = await get(otherAdmin, 'q=k-2019');
    expect(theirs.entries).toHaveLength(1);
    expect(theirs.entries[0]!.house_name).toBe('Alpha Rival');
  });

  it('searches house names, eBay usernames, actions and error codes; never another org or a cycle summary', async () => {
    expect((await get(admin, 'q=beta outdoor')).entries.map((e) => e.id)).toEqual([maskedId, oldMatchId]);
    expect((await get(admin, 'q=beta_sel')).entries.map((e) => e.id)).toEqual([maskedId, oldMatchId]);
    expect((await get(admin, 'q=invalid_gr')).entries.map((e) => e.error?.code)).toEqual(['invalid_grant']);
    expect((await get(admin, 'q=refresh_cycle')).entries.map((e) => e.id)).toEqual([cycleId]);
    // "Alpha Rival" is the other org's house (and sits in the cycle's other-org part).
    expect((await get(admin, 'q=alpha rival')).entries).toEqual([]);
    expect((await get(admin, 'q=rival_seller')).entries).toEqual([]);
    expect((await get(admin, 'q=SECRETPART')).entries).toEqual([]);
    // Wildcards are text: "100%" is not "anything".
    expect((await get(admin, 'q=a%b')).entries).toEqual([]);
    expect((await get(admin, 'q=___')).entries).toEqual([]);
  });

  it('pages a search by before_id', async () => {
    const first = await get(admin, 'q=alpha books&limit=100');
    expect(first.entries).toHaveLength(100);
    const ids = first.entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    let before = first.next_before_id;
    let total = first.entries.length;
    while (before !== null) {
      const page = await get(admin, `q=alpha books&limit=100&before_id=${before}`);
      total += page.entries.length;
      before = page.next_before_id;
    }
    expect(total).toBe(251); // 250 successes and the revoked grant
  });

  it('filters by error code, action and time range', async () => {
    const codes = await get(admin, 'error_code=decrypt_failed');
    expect(codes.entries.map((e) => e.id)).toEqual([oldMatchId]);
    expect((await get(admin, 'error_code=invalid_request')).entries).toHaveLength(1);
    const both = await get(admin, 'error_code=decrypt_failed,invalid_grant');
    expect(both.entries.map((e) => e.error?.code)).toEqual(['invalid_grant', 'decrypt_failed']);
    const other = await get(otherAdmin, 'error_code=invalid_grant');
    expect(other.entries).toEqual([]);

    const failed = await get(admin, 'action=token_refresh_failed');
    expect(failed.entries.map((e) => e.action)).toEqual(Array(3).fill('token_refresh_failed'));
    expect((await get(admin, 'action=token_refresh_cycle')).entries.map((e) => e.id)).toEqual([cycleId]);

    // A cycle marker's time range: the cycle and what happened in it.
    const from = cycleStart.toISOString();
    const to = new Date(cycleStart.getTime() + 1000).toISOString();
    const cycle = await get(admin, `from=${from}&to=${to}`);
    expect(cycle.entries.map((e) => e.action)).toEqual(['token_refresh_failed', 'token_refresh_cycle']);
    const older = await get(admin, `to=${from}`);
    expect(older.entries.map((e) => e.id)).toEqual([maskedId, oldMatchId]);
    // Filters combine with the search.
    expect((await get(admin, `q=alpha&to=${to}`)).entries.map((e) => e.error?.code)).toEqual([
      'invalid_grant',
    ]);
  });

  it('from alone: what was written since then, newest first, in its own org only', async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const from = new Date(cycleStart.getTime() - 1000).toISOString();
    const since = await get(admin, `from=${from}&limit=500`);
    expect(since.entries).toHaveLength(252); // 250 successes, the revoked grant and the cycle
    expect(since.entries.every((e) => Date.parse(e.created_at) >= Date.parse(from))).toBe(true);
    expect(since.entries.at(-1)?.id).toBe(cycleId);
    expect(since.next_before_id).toBeNull();
    // The same instant with an offset ("+" encoded, as a browser sends it).
    const start = new Date(cycleStart.getTime() - 1000);
    const local = new Date(start.getTime() + 3_600_000).toISOString().replace('Z', '+01:00');
    expect((await get(admin, `from=${encodeURIComponent(local)}&limit=500`)).entries).toHaveLength(252);
    // With the other filters: the old failure is in a range reaching back far enough, not in a shorter one.
    expect((await get(admin, `from=${ago(700)}&error_code=decrypt_failed`)).entries.map((e) => e.id)).toEqual(
      [oldMatchId],
    );
    expect((await get(admin, `from=${ago(590)}&error_code=decrypt_failed`)).entries).toEqual([]);
    expect((await get(admin, `q=k-2019&from=${ago(590)}`)).entries).toEqual([]);
    // The other org sees its own entries (and the shared cycle marker), never this org's.
    const theirs = await get(otherAdmin, `from=${ago(700)}`);
    expect(theirs.entries.map((e) => e.house_name ?? e.action)).toEqual([
      'token_refresh_cycle',
      'Alpha Rival',
      'Alpha Rival',
    ]);
    expect((await get(otherAdmin, `from=${ago(450)}`)).entries.map((e) => e.id)).toEqual([cycleId]);
  });

  it.each([
    ['q=ab', 'q must be 3 to 100 characters'],
    [`q=${'x'.repeat(101)}`, 'q must be 3 to 100 characters'],
    ['q=%20%20ab%20', 'q must be 3 to 100 characters'],
    ['error_code=bogus', 'error_code'],
    ['error_code=,', 'error_code must name at least one code'],
    ['action=token_refreshed,nope', 'action'],
    ['from=yesterday', 'from must be an ISO date-time'],
    ['from=2026-12-03', 'from must be an ISO date-time'],
    ['from=2026-12-03T07:45:00', 'from must be an ISO date-time'],
    ['from=', 'from must be an ISO date-time'],
    ['to=2026-13-01T00:00:00Z', 'to must be an ISO date-time'],
    ['from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 'from must not be after to'],
  ])('answers 400 to %s', async (query, message) => {
    const res = await admin.get(`${T}?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(message);
  });

  it(`searches through the trigram index on ${kind}`, async () => {
    const rows = await h().ctx.db.execute(
      sql`select indexname from pg_indexes where indexname = 'connect_logs_search_trgm_idx'`,
    );
    expect((rows as unknown as { rows: unknown[] }).rows).toHaveLength(1);
  });
});
