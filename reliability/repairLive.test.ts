import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenRepairReport } from '@ebay-connector/contracts';
import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import {
  createTokenCipher,
  generateKeySpec,
  migrateDatabase,
  openDatabase,
  parseKeyRing,
} from '@ebay-connector/server';
import {
  buildAccount,
  buildOrg,
  controlSocketPath,
  createTestContext,
  freePort,
  type NodeProcess,
  readTokenRow,
  simulatorEnv,
  startNodeProcess,
  startRole,
  waitFor,
} from '@ebay-connector/server/test-support';
import { sql } from 'drizzle-orm';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/server/src/cli.ts');
const CURRENT_KEY_SPEC = generateKeySpec('live1');
const PREVIOUS_KEY_SPEC = generateKeySpec('previous');
const KEYS = `${CURRENT_KEY_SPEC},${PREVIOUS_KEY_SPEC}`;
/** Long enough for a CLI process to start and finish while eBay has not answered. */
const LATENCY_MS = 8_000;

/**
 * Issue 14: `npm run cli -- tokens repair --apply` as its own process, over the control channel
 * of a running `npm start`, while that server's worker refreshes the same account. Here, not
 * in apps/server, because it takes about 30 s (the in-process version of the same race is
 * apps/server/src/tokens/doctor/repairDuringRefresh.integration.test.ts). PGlite: no DATABASE_URL needed.
 */
describe('tokens repair --apply (CLI process) during a live refresh of the same account', () => {
  let dataDir: string;
  let sim: EbaySim;
  const children: NodeProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ebay-connector-repair-'));
    sim = await startEbaySim();
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => (c.alive() ? c.stop('SIGKILL') : null)));
    await sim?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number | null; output: string }> {
    const child = startNodeProcess({
      script: CLI,
      name: 'cli',
      args,
      env: { NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });
    children.push(child);
    const { code } = await child.exit;
    return { code, output: child.output.join('\n') };
  }
  const report = (output: string) =>
    JSON.parse(output.slice(output.indexOf('{\n'), output.lastIndexOf('}') + 1)) as TokenRepairReport;

  it('leaves the leased row alone, keeps the newest token, and the next run repairs it', async () => {
    // An account due at once, its tokens under the previous key, in the folder `npm start` will own.
    const seed = await openDatabase({ dataDir });
    await migrateDatabase(seed);
    const ctx = createTestContext(seed, sim, { keySpec: KEYS });
    const org = await buildOrg(ctx.db);
    const { accountId, grant } = await buildAccount(ctx, sim, { orgId: org.id, accessExpiresInSeconds: 60 });
    const previous = createTokenCipher(parseKeyRing(PREVIOUS_KEY_SPEC));
    await ctx.db.execute(
      sql`update ebay_tokens set refresh_token = ${previous.encrypt(grant.refresh_token)},
            access_token = ${previous.encrypt(grant.access_token)} where account_id = ${accountId}`,
    );
    await seed.close();
    const issuedBefore = new Set(sim.control.issuedSecrets());
    sim.control.setLatency(LATENCY_MS);

    const server = startRole('all', {
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        TOKEN_ENCRYPTION_KEYS: KEYS,
        EBAY_HTTP_TIMEOUT_MS: String(LATENCY_MS * 3),
        ADMIN_EMAIL: 'repair-admin@x.example',
        ADMIN_PASSWORD: 'repair-admin-password',
        ...simulatorEnv(sim),
      },
    });
    children.push(server);
    // Its worker's first cycle refreshes the account: eBay holds the answer.
    await waitFor(
      () => {
        if (!server.alive()) throw new Error(`server exited:\n${server.tail(50)}`);
        return sim.control.counters().inFlightRefreshes === 1 && existsSync(controlSocketPath(dataDir));
      },
      60_000,
      'the refresh in flight and the control socket',
      { intervalMs: 50 },
    );

    const during = await cli('tokens', 'repair', '--apply', '--json');
    expect(during.code, during.output).toBe(0);
    // The race was real: the repair finished before eBay answered.
    expect(sim.control.counters().inFlightRefreshes).toBe(1);
    expect(report(during.output)).toMatchObject({ apply: true, changed: 0, busy: 1, conflicts: 0 });

    await server.waitForLine(/Token refresh worker completed: 1\/1 accounts refreshed/, LATENCY_MS * 2);
    sim.control.setLatency(0);
    const after = await cli('tokens', 'repair', '--apply', '--json');
    expect(after.code, after.output).toBe(0);
    expect(report(after.output)).toMatchObject({ changed: 1, busy: 0, conflicts: 0 });
    expect((await server.stop('SIGTERM', 20_000)).code, server.tail()).toBe(0);

    // What the folder holds now: the token eBay issued during the repair, re-encrypted under the current key.
    const newest = sim.control.issuedSecrets().filter((s) => !issuedBefore.has(s));
    expect(newest).toHaveLength(1);
    const check = await openDatabase({ dataDir });
    try {
      const row = await readTokenRow(check.db, accountId);
      expect(ctx.cipher.decryptToken(row.access_token!)).toMatchObject({
        ok: true,
        plaintext: newest[0],
        keyId: ctx.cipher.currentKeyId,
      });
      expect(ctx.cipher.decryptToken(row.refresh_token)).toMatchObject({
        ok: true,
        plaintext: grant.refresh_token,
        keyId: ctx.cipher.currentKeyId,
      });
      expect(row.lease_owner).toBeNull();
    } finally {
      await check.close();
    }
    expect(sim.control.counters().refreshCalls).toBe(1);
  }, 90_000);
});
