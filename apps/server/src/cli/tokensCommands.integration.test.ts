import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  hasControlCharacters,
  type TokenDoctorReport,
  type TokenRepairReport,
} from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { runCli } from '../cli.ts';
import { type Database, migrateDatabase, openDatabase } from '../db/client.ts';
import { createTestContext, TEST_KEY_SPEC, useSim } from '../test/appContext.ts';
import {
  buildBrokenTokenFixture,
  type FixtureAccount,
  PREVIOUS_KEY_SPEC,
} from '../test/brokenTokenFixture.ts';
import { createTestDatabase, DB_KINDS } from '../test/db.ts';
import { buildOrg } from '../test/factories.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

const KEYS = `${TEST_KEY_SPEC},${PREVIOUS_KEY_SPEC}`;

describe.each(DB_KINDS)('cli tokens doctor / repair [%s]', (kind) => {
  const getSim = useSim();
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let fixture: FixtureAccount[];

  beforeAll(async () => {
    let database: Database;
    if (kind === 'pglite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'ebc-doctor-'));
      env = { DATA_DIR: dir, NODE_ENV: 'test', TOKEN_ENCRYPTION_KEYS: KEYS };
      database = await openDatabase({ dataDir: dir });
      await migrateDatabase(database);
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const test = await createTestDatabase('postgres');
      env = { DATABASE_URL: test.url!, NODE_ENV: 'test', TOKEN_ENCRYPTION_KEYS: KEYS };
      database = await openDatabase({ databaseUrl: test.url! });
      cleanup = () => test.close();
    }
    const ctx = createTestContext(database, getSim(), { keySpec: KEYS });
    fixture = await buildBrokenTokenFixture(ctx, getSim(), (await buildOrg(ctx.db, 'Acme')).id);
    await buildOrg(ctx.db, 'Empty');
    await database.close();
  });
  afterAll(() => cleanup());

  it('prints a table naming each cause, and the same as JSON', async () => {
    const table = capture();
    expect(await runCli(['tokens', 'doctor'], table.io, env)).toBe(0);
    const text = table.out.join('\n');
    expect(text).toContain(
      `${fixture.length} accounts checked, 1 healthy, ${fixture.length - 1} with problems`,
    );
    for (const cause of ['old_key', 'unknown_key_id', 'auth_failed', 'malformed', 'double_encrypted']) {
      expect(text).toContain(cause);
    }
    expect(text).toContain('plaintext_legacy [refresh] → encrypt_plaintext');
    expect(text).not.toMatch(/v\^1\.1#/);

    const json = capture();
    expect(await runCli(['tokens', 'doctor', '--org', 'Acme', '--json'], json.io, env)).toBe(0);
    const report = JSON.parse(json.out.join('\n')) as TokenDoctorReport;
    expect(report).toMatchObject({ total: fixture.length, with_problems: fixture.length - 1 });

    const empty = capture();
    expect(await runCli(['tokens', 'doctor', '--org', 'Empty', '--json'], empty.io, env)).toBe(0);
    expect(JSON.parse(empty.out.join('\n'))).toMatchObject({ total: 0 });
  });

  it('prints a house name holding escape sequences and line breaks as visible escapes, on its own row', async () => {
    const forged = 'Evil\x1b[2J\x1b]0;pwned\x07\r\nsource=scheduled token_refreshed \u202eShop';
    const database =
      kind === 'pglite'
        ? await openDatabase({ dataDir: env.DATA_DIR! })
        : await openDatabase({ databaseUrl: env.DATABASE_URL! });
    const broken = fixture.find((a) => Object.keys(a.expect).length > 0)!;
    await database.db.execute(
      sql`update ebay_accounts set house_name = ${forged} where id = ${broken.accountId}`,
    );
    await database.close();
    const table = capture();
    expect(await runCli(['tokens', 'doctor'], table.io, env)).toBe(0);
    expect(table.out.filter(hasControlCharacters)).toEqual([]);
    const row = table.out.find((l) => l.startsWith('Evil'));
    expect(row).toContain('Evil\\x1b[2J\\x1b]0;pwned\\x07\\r\\nsource=scheduled token_refreshed \\u202eShop');
    expect(table.out.filter((l) => l.includes('token_refreshed'))).toEqual([row]);
  });

  it('previews, applies, then finds nothing left to repair', async () => {
    const dry = capture();
    expect(await runCli(['tokens', 'repair', '--org', 'Acme'], dry.io, env)).toBe(0);
    expect(dry.out.join('\n')).toContain('Dry run: nothing was changed. Run again with --apply to apply.');

    const applied = capture();
    expect(await runCli(['tokens', 'repair', '--apply', '--json'], applied.io, env)).toBe(0);
    const report = JSON.parse(applied.out.join('\n')) as TokenRepairReport;
    expect(report).toMatchObject({
      apply: true,
      changed: fixture.filter((a) => a.repairable !== null).length,
    });

    const again = capture();
    expect(await runCli(['tokens', 'repair', '--apply'], again.io, env)).toBe(0);
    expect(again.out[0]).toContain(`${fixture.length} accounts checked, 0 changed`);
  });

  it('refuses an unknown org and a missing key ring', async () => {
    const unknown = capture();
    expect(await runCli(['tokens', 'doctor', '--org', 'Nope'], unknown.io, env)).toBe(1);
    expect(unknown.err).toEqual(['No org named "Nope".']);

    const noKeys = capture();
    const { TOKEN_ENCRYPTION_KEYS: _, ...withoutKeys } = env;
    expect(await runCli(['tokens', 'repair', '--apply'], noKeys.io, withoutKeys)).toBe(2);
    expect(noKeys.err[0]).toMatch(/^no key ring/);
  });
});
