import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client.ts';
import { anyRow } from '../../db/rows.ts';
import { createTestContext, TEST_KEY_SPEC, type TestContext, useSim } from '../../test/appContext.ts';
import {
  buildBrokenTokenFixture,
  type FixtureAccount,
  PREVIOUS_KEY_SPEC,
} from '../../test/brokenTokenFixture.ts';
import { describeEachDb } from '../../test/db.ts';
import { buildOrg } from '../../test/factories.ts';
import { refreshAccount } from '../refresh/refreshAccount.ts';
import { diagnoseTokens } from './doctor.ts';
import { repairTokens } from './repairTokens.ts';

/** Every token row and account status, to prove what a run did or did not change. */
async function snapshot(ctx: TestContext, orgId: string) {
  return queryRows(
    ctx.db,
    sql`select a.id, a.status, a.status_reason, t.access_token, t.access_expires_at, t.refresh_token, t.version
        from ebay_accounts a join ebay_tokens t on t.account_id = a.id where a.org_id = ${orgId} order by a.id`,
    anyRow,
  );
}

describeEachDb('token doctor and repair on the incident fixture', (getDb) => {
  const getSim = useSim();
  let ctx: TestContext;
  let orgId: string;
  let otherOrgId: string;
  let fixture: FixtureAccount[];

  beforeAll(async () => {
    ctx = createTestContext(getDb(), getSim(), { keySpec: `${TEST_KEY_SPEC},${PREVIOUS_KEY_SPEC}` });
    orgId = (await buildOrg(ctx.db)).id;
    otherOrgId = (await buildOrg(ctx.db)).id;
    fixture = await buildBrokenTokenFixture(ctx, getSim(), orgId);
    // Another org's broken account: an org-scoped run must not see or touch it.
    await buildBrokenTokenFixture(ctx, getSim(), otherOrgId);
  });

  it('names the cause of every broken account and the repair that applies', async () => {
    const report = await diagnoseTokens(ctx, { orgId });
    expect(report.total).toBe(fixture.length);
    expect(report.current_key_id).toBe('test1');
    for (const account of fixture) {
      const found = report.accounts.find((a) => a.ebay_account_id === account.accountId);
      const causes = Object.fromEntries((found?.problems ?? []).map((p) => [p.cause, p.repair]));
      expect({ name: account.name, causes }).toEqual({ name: account.name, causes: account.expect });
    }
    expect(report.healthy).toBe(1);
    expect(report.with_problems).toBe(fixture.length - 1);
    expect(report.by_cause).toMatchObject({
      old_key: 1,
      double_encrypted: 2,
      plaintext_legacy: 2,
      auth_failed: 2,
    });
    const accessBroken = report.accounts.find((a) => a.house_name === 'access token broken')!;
    expect(accessBroken).toMatchObject({
      access_token: { state: 'auth_failed', key_id: 'test1' },
      refresh_token: { state: 'ok', key_id: 'test1' },
    });
    expect(
      report.accounts.find((a) => a.house_name === 'missing scopes')!.missing_scopes.length,
    ).toBeGreaterThan(0);
    expect(JSON.stringify(report)).not.toMatch(/v\^1\.1#/);
  });

  it('reports progress batch by batch and lists no more than asked', async () => {
    const progress: number[] = [];
    const report = await diagnoseTokens(ctx, {
      orgId,
      batchSize: 4,
      maxListed: 3,
      onProgress: (p) => progress.push(p.done),
    });
    expect(progress).toEqual([0, 4, 8, 12, fixture.length]);
    expect(report.accounts).toHaveLength(3);
    expect(report.truncated).toBe(true);
    expect(report.with_problems).toBe(fixture.length - 1);
  });

  it('changes nothing in a dry run', async () => {
    const before = await snapshot(ctx, orgId);
    const report = await repairTokens(ctx, { orgId, by: 'test' });
    expect(report).toMatchObject({ apply: false, checked: fixture.length, conflicts: 0, busy: 0 });
    const planned = new Set(report.accounts.map((a) => a.ebay_account_id));
    const expected = fixture.filter((a) => a.repairable !== null).map((a) => a.accountId);
    expect([...planned].sort()).toEqual(expected.sort());
    expect(report.accounts.every((a) => a.outcome === 'planned')).toBe(true);
    expect(await snapshot(ctx, orgId)).toEqual(before);
  });

  it('fixes exactly the repairable accounts and marks the rest needs_reconnect', async () => {
    const others = await snapshot(ctx, otherOrgId);
    const report = await repairTokens(ctx, { orgId, apply: true, by: 'test' });
    expect(report.changed).toBe(fixture.filter((a) => a.repairable !== null).length);
    expect(report.by_action).toEqual({
      re_encrypt: 1,
      unwrap: 1,
      encrypt_plaintext: 1,
      discard_access_token: 1,
      mark_needs_reconnect: 7,
    });
    // The key is missing, not the token broken: left as it was, waiting for the key to come back.
    expect(report.waiting_for_key).toBe(1);
    expect(await snapshot(ctx, otherOrgId)).toEqual(others);

    for (const account of fixture.filter((a) => a.repairable === true)) {
      const outcome = await refreshAccount(ctx, account.accountId, { source: 'manual' });
      expect({ name: account.name, outcome }).toMatchObject({
        name: account.name,
        outcome: { kind: 'attempted', result: { ok: true } },
      });
    }
    const statuses = await queryRows(
      ctx.db,
      sql`select id, status, status_reason from ebay_accounts where org_id = ${orgId}`,
      z.looseObject({ id: z.string(), status: z.string(), status_reason: z.string().nullable() }),
    );
    for (const account of fixture.filter((a) => a.repairable === false)) {
      const row = statuses.find((s) => s.id === account.accountId)!;
      expect({ name: account.name, status: row.status }).toEqual({
        name: account.name,
        status: 'needs_reconnect',
      });
      expect(row.status_reason).toMatch(/^token doctor: /);
    }
    const logs = await queryRows(
      ctx.db,
      sql`select account_id, source, summary from ebay_connect_logs where action = 'token_repaired' and org_id = ${orgId}`,
      z.looseObject({
        account_id: z.string(),
        source: z.string(),
        summary: z.looseObject({ steps: z.array(z.unknown()) }),
      }),
    );
    expect(logs).toHaveLength(report.changed);
    const text = JSON.stringify(logs);
    for (const secret of getSim().control.issuedSecrets()) expect(text).not.toContain(secret);
  });

  it('changes nothing the second time', async () => {
    const before = await snapshot(ctx, orgId);
    const report = await repairTokens(ctx, { orgId, apply: true, by: 'test' });
    expect(report).toMatchObject({ changed: 0, accounts: [], by_action: {} });
    expect(await snapshot(ctx, orgId)).toEqual(before);
    const doctor = await diagnoseTokens(ctx, { orgId });
    const repairs = new Set(doctor.accounts.flatMap((a) => a.problems.map((p) => p.repair)));
    expect([...repairs].sort()).toEqual(['add_key_back', 'seller_reconnect']);
  });

  it('gives up on a missing key only when told to, and then only for that cause', async () => {
    const unknown = fixture.find((a) => a.name === 'unknown key id')!;
    const report = await repairTokens(ctx, {
      orgId,
      apply: true,
      by: 'test',
      unknownKey: 'mark_needs_reconnect',
      causes: ['unknown_key_id'],
    });
    expect(report.accounts.map((a) => a.ebay_account_id)).toEqual([unknown.accountId]);
    expect(report.by_action).toEqual({ mark_needs_reconnect: 1 });
    const [row] = await queryRows(
      ctx.db,
      sql`select status from ebay_accounts where id = ${unknown.accountId}`,
      z.object({ status: z.string() }),
    );
    expect(row!.status).toBe('needs_reconnect');
  });
});
