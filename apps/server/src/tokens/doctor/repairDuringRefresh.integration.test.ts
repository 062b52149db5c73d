import type { TokenRepairReport } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { runCli } from '../../cli.ts';
import { createTokenCipher, parseKeyRing } from '../../crypto/tokenCipher.ts';
import { queryRows } from '../../db/client.ts';
import { createTestContext, TEST_KEY_SPEC, useSim } from '../../test/appContext.ts';
import { PREVIOUS_KEY_SPEC } from '../../test/brokenTokenFixture.ts';
import { describeEachDb } from '../../test/db.ts';
import { buildAccount, buildOrg, readTokenRow } from '../../test/factories.ts';
import { waitFor } from '../../test/waitFor.ts';
import { clearWorkerTables } from '../../test/workerFixtures.ts';
import { runTokenRefreshCycle } from '../../workers/tokenRefreshWorker.ts';

/**
 * Issue 14: `tokens repair --apply` run while the worker is refreshing the same account. The
 * command goes through `runCli` with the server's open database, exactly what the embedded
 * server's control channel (cli/controlChannel.ts) calls for a CLI process; the refresh is held
 * in flight by the simulator's latency. The newer token must never be lost.
 */

const KEYS = `${TEST_KEY_SPEC},${PREVIOUS_KEY_SPEC}`;

describeEachDb('tokens repair --apply during a refresh of the same account', (getDb) => {
  const getSim = useSim();

  it('leaves the leased row alone (busy), keeps the newest token, and repairs it on the next run', async () => {
    const sim = getSim();
    const database = getDb();
    const ctx = createTestContext(database, sim, { keySpec: KEYS });
    await clearWorkerTables(ctx.db);
    sim.control.reset();
    const org = await buildOrg(ctx.db);
    // Due at once, both tokens stored under the previous key (what a key rotation leaves behind).
    const { accountId, grant } = await buildAccount(ctx, sim, { orgId: org.id, accessExpiresInSeconds: 60 });
    const previous = createTokenCipher(parseKeyRing(PREVIOUS_KEY_SPEC));
    await ctx.db.execute(
      sql`update ebay_tokens set refresh_token = ${previous.encrypt(grant.refresh_token)},
            access_token = ${previous.encrypt(grant.access_token)} where account_id = ${accountId}`,
    );
    const issuedBefore = new Set(sim.control.issuedSecrets());

    // The control channel's command, on the server's own database and configuration.
    const repair = async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(
        ['tokens', 'repair', '--apply', '--json'],
        { out: (l) => out.push(l), err: (l) => err.push(l) },
        { NODE_ENV: 'test', LOG_LEVEL: 'silent', TOKEN_ENCRYPTION_KEYS: KEYS },
        { database },
      );
      expect(code, err.join('\n')).toBe(0);
      return JSON.parse(out.join('\n')) as TokenRepairReport;
    };

    sim.control.resetCounters();
    sim.control.setLatency(1_500);
    const cycle = runTokenRefreshCycle(ctx);
    await waitFor(() => sim.control.counters().inFlightRefreshes === 1, 10_000, 'the refresh in flight');
    const during = await repair();
    // The race was real: eBay had not answered yet when the repair finished.
    expect(sim.control.counters().inFlightRefreshes).toBe(1);
    expect(during).toMatchObject({ apply: true, changed: 0, busy: 1, conflicts: 0 });
    expect((await cycle).refreshed).toBe(1);
    sim.control.setLatency(0);

    // The worker's write went through: the row holds the token eBay just issued.
    const newest = sim.control.issuedSecrets().filter((s) => !issuedBefore.has(s));
    expect(newest).toHaveLength(1);
    const refreshed = await readTokenRow(ctx.db, accountId);
    expect(ctx.cipher.decryptToken(refreshed.access_token!)).toMatchObject({
      ok: true,
      plaintext: newest[0],
    });

    // The next run re-encrypts the refresh token and keeps that access token.
    const after = await repair();
    expect(after).toMatchObject({ changed: 1, busy: 0, conflicts: 0 });
    const repaired = await readTokenRow(ctx.db, accountId);
    expect(repaired.version).toBe(refreshed.version + 1);
    expect(ctx.cipher.decryptToken(repaired.access_token!)).toMatchObject({ ok: true, plaintext: newest[0] });
    expect(ctx.cipher.decryptToken(repaired.refresh_token)).toMatchObject({
      ok: true,
      plaintext: grant.refresh_token,
      keyId: ctx.cipher.currentKeyId,
    });
    expect(sim.control.counters().refreshCalls).toBe(1);

    // A consistent log: one successful refresh, then one repair.
    const log = await queryRows(
      ctx.db,
      sql`select action from ebay_connect_logs where account_id = ${accountId} order by id`,
      z.object({ action: z.string() }),
    );
    expect(log.map((l) => l.action).filter((a) => a !== 'connect')).toEqual([
      'token_refreshed',
      'token_repaired',
    ]);
    const refreshLogs = await queryRows(
      ctx.db,
      sql`select success from ebay_token_refresh_logs where account_id = ${accountId}`,
      z.object({ success: z.boolean() }),
    );
    expect(refreshLogs).toEqual([{ success: true }]);
  });
});
