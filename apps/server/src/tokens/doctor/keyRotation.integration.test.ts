import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { generateKeySpec } from '../../crypto/tokenCipher.ts';
import { queryRows } from '../../db/client.ts';
import { createTestContext, useSim } from '../../test/appContext.ts';
import { describeEachDb } from '../../test/db.ts';
import { buildAccount, buildOrg, readTokenRow } from '../../test/factories.ts';
import { refreshAccount } from '../refresh/refreshAccount.ts';
import { diagnoseTokens } from './doctor.ts';
import { diagnoseRow } from './doctorDiagnose.ts';
import { readTokenBatch } from './doctorScan.ts';
import { applyRowRepair } from './repairApply.ts';
import { repairTokens } from './repairTokens.ts';

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

describeEachDb('key rotation and safe repair writes', (getDb) => {
  const getSim = useSim();
  const keyA = generateKeySpec('keya');
  const keyB = generateKeySpec('keyb');

  it('new key first → repair → old key removed leaves every token refreshable', async () => {
    const ctxA = createTestContext(getDb(), getSim(), { keySpec: keyA });
    const orgId = (await buildOrg(ctxA.db)).id;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await buildAccount(ctxA, getSim(), { orgId })).accountId);

    // 1. The new key goes first; the old one still decrypts.
    const ctxBA = createTestContext(getDb(), getSim(), { keySpec: `${keyB},${keyA}` });
    const before = await diagnoseTokens(ctxBA, { orgId });
    expect(before).toMatchObject({ current_key_id: 'keyb', with_problems: 6, by_cause: { old_key: 6 } });
    expect(await refreshAccount(ctxBA, ids[0]!, { source: 'manual' })).toMatchObject({
      kind: 'attempted',
      result: { ok: true },
    });

    // 2. The repair moves every value to the new key.
    const applied = await repairTokens(ctxBA, { orgId, apply: true, by: 'test' });
    expect(applied).toMatchObject({ changed: 6, by_action: { re_encrypt: 6 }, needs_seller: 0 });
    const rows = await queryRows(
      ctxBA.db,
      sql`select access_token, refresh_token from ebay_tokens`,
      z.looseObject({ access_token: z.string(), refresh_token: z.string() }),
    );
    for (const row of rows) {
      expect(row.refresh_token.startsWith('ENC:v1:keyb:')).toBe(true);
      expect(row.access_token.startsWith('ENC:v1:keyb:')).toBe(true);
    }

    // 3. The old key is retired: nothing is left that needs it.
    const ctxB = createTestContext(getDb(), getSim(), { keySpec: keyB });
    expect(await diagnoseTokens(ctxB, { orgId })).toMatchObject({ healthy: 6, with_problems: 0 });
    for (const id of ids) {
      const outcome = await refreshAccount(ctxB, id, { source: 'manual' });
      expect({ id, outcome }).toMatchObject({ id, outcome: { kind: 'attempted', result: { ok: true } } });
    }
  });

  it('writes nothing to a row that changed after it was read, or that a refresh holds', async () => {
    const ctx = createTestContext(getDb(), getSim(), { keySpec: keyA });
    const orgId = (await buildOrg(ctx.db)).id;
    const { accountId } = await buildAccount(ctx, getSim(), {
      orgId,
      brokenRefreshToken: 'plaintext_legacy',
    });
    const read = async () => {
      const row = (await readTokenBatch(ctx.db, { orgId }, FIRST_ID, 10))[0]!;
      return {
        row,
        plan: diagnoseRow(row, { cipher: ctx.cipher, requiredScopes: ctx.ebay.scopes, now: ctx.now() }).plan,
      };
    };

    const stale = await read();
    await ctx.db.execute(sql`update ebay_tokens set version = version + 1 where account_id = ${accountId}`);
    const changed = await readTokenRow(ctx.db, accountId);
    expect(await applyRowRepair(ctx, stale.row, stale.plan, 'test')).toBe('conflict');
    expect(await readTokenRow(ctx.db, accountId)).toEqual(changed);

    const until = new Date(Date.now() + 60_000).toISOString();
    await ctx.db.execute(
      sql`update ebay_tokens set lease_owner = 'w1', lease_until = ${until} where account_id = ${accountId}`,
    );
    const leased = await read();
    const held = await readTokenRow(ctx.db, accountId);
    expect(await applyRowRepair(ctx, leased.row, leased.plan, 'test')).toBe('busy');
    expect(await readTokenRow(ctx.db, accountId)).toEqual(held);

    await ctx.db.execute(
      sql`update ebay_tokens set lease_owner = null, lease_until = null where account_id = ${accountId}`,
    );
    const free = await read();
    expect(await applyRowRepair(ctx, free.row, free.plan, 'test')).toBe('applied');
    expect(ctx.cipher.decryptToken((await readTokenRow(ctx.db, accountId)).refresh_token).ok).toBe(true);
  });
});
