import type { TokenDoctorReport, TokenRepairReport } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, expectNoSecrets, signedInClient, useHarness } from '../test/harness.ts';
import { refreshAccount } from '../tokens/refresh/refreshAccount.ts';

const A = '/api/admin/ebay';

describeEachDb('token doctor and repair API', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  let viewer: Client;
  let other: Client;
  let unwrappable: string;
  let corrupted: string;
  let theirs: string;

  beforeAll(async () => {
    admin = await signedInClient(h());
    viewer = await signedInClient(h(), { orgId: admin.orgId, role: 'viewer' });
    other = await signedInClient(h());
    const build = (orgId: string, kind?: 'double_encrypted' | 'auth_failed') =>
      buildAccount(h().ctx, h().sim, { orgId, ...(kind ? { brokenRefreshToken: kind } : {}) }).then(
        (a) => a.accountId,
      );
    await build(admin.orgId);
    unwrappable = await build(admin.orgId, 'double_encrypted');
    corrupted = await build(admin.orgId, 'auth_failed');
    theirs = await build(other.orgId, 'double_encrypted');
  });

  it('lets any signed-in user of the org read the diagnosis, and only theirs', async () => {
    const res = await viewer.get(`${A}/tokens/doctor`);
    expect(res.statusCode).toBe(200);
    const report = res.json<TokenDoctorReport>();
    expect(report).toMatchObject({
      total: 3,
      healthy: 1,
      with_problems: 2,
      by_cause: { double_encrypted: 1, auth_failed: 1 },
    });
    expect(report.accounts.map((a) => a.ebay_account_id).sort()).toEqual([unwrappable, corrupted].sort());
    expect(report.accounts.find((a) => a.ebay_account_id === unwrappable)!.problems[0]).toMatchObject({
      cause: 'double_encrypted',
      token: 'refresh',
      repair: 'unwrap',
    });
    expectNoSecrets(h().sim, [res.body]);
    expect((await viewer.get(`${A}/tokens/doctor?env=sandbox`)).json()).toMatchObject({ total: 0 });
    expect((await viewer.get(`${A}/tokens/doctor?limit=0`)).statusCode).toBe(400);
  });

  it('lets only admins repair', async () => {
    const res = await viewer.post(`${A}/tokens/repair`, { apply: true });
    expect(res.statusCode).toBe(403);
    expect((await admin.post(`${A}/tokens/repair`, { apply: 'yes' })).statusCode).toBe(400);
  });

  it("previews, then applies the repair to the caller's org only", async () => {
    const dry = await admin.post(`${A}/tokens/repair`, { apply: false });
    expect(dry.statusCode).toBe(200);
    expect(dry.json<TokenRepairReport>()).toMatchObject({
      apply: false,
      changed: 2,
      by_action: { unwrap: 1, mark_needs_reconnect: 1 },
      needs_seller: 1,
    });
    const applied = (await admin.post(`${A}/tokens/repair`, { apply: true })).json<TokenRepairReport>();
    expect(applied).toMatchObject({ apply: true, changed: 2 });
    expect(applied.accounts.every((a) => a.outcome === 'applied')).toBe(true);
    expect(await refreshAccount(h().ctx, unwrappable, { source: 'manual' })).toMatchObject({
      kind: 'attempted',
      result: { ok: true },
    });

    const statuses = await queryRows(
      h().ctx.db,
      sql`select id, status from ebay_accounts where id in (${corrupted}, ${theirs})`,
      z.looseObject({ id: z.string(), status: z.string() }),
    );
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      [corrupted]: 'needs_reconnect',
      [theirs]: 'active',
    });
    const log = await queryRows(
      h().ctx.db,
      sql`select summary from ebay_connect_logs where action = 'token_repaired' and account_id = ${unwrappable}`,
      z.looseObject({ summary: z.looseObject({ by: z.string() }) }),
    );
    expect(log).toEqual([{ summary: expect.objectContaining({ by: `api:${admin.user.email}` }) }]);
    expect((await admin.post(`${A}/tokens/repair`, { apply: true })).json()).toMatchObject({ changed: 0 });
  });
});
