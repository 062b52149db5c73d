import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasControlCharacters } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { findApiKey } from '../auth/apiKeys.ts';
import { runCli } from '../cli.ts';
import { type Database, migrateDatabase, openDatabase, queryRows } from '../db/client.ts';
import { createTestDatabase, DB_KINDS } from '../test/db.ts';
import { buildOrg } from '../test/factories.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

/** Issue 11: `npm run cli -- api-keys create|list|revoke`. */
describe.each(DB_KINDS)('cli api-keys [%s]', (kind) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let open: () => Promise<Database>;

  beforeAll(async () => {
    if (kind === 'pglite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'ebc-api-keys-'));
      env = { DATA_DIR: dir, NODE_ENV: 'test' };
      open = () => openDatabase({ dataDir: dir });
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const test = await createTestDatabase('postgres');
      env = { DATABASE_URL: test.url!, NODE_ENV: 'test' };
      open = () => openDatabase({ databaseUrl: test.url! });
      cleanup = () => test.close();
    }
    const database = await open();
    await migrateDatabase(database);
    await buildOrg(database.db, 'Acme');
    await buildOrg(database.db, 'Other');
    await database.close();
  });
  afterAll(() => cleanup());

  it('creates a key printed once, lists it without the key, revokes it', async () => {
    const created = capture();
    expect(
      await runCli(
        ['api-keys', 'create', '--org', 'Acme', '--name', 'order sync', '--scopes', 'tokens,proxy'],
        created.io,
        env,
      ),
    ).toBe(0);
    const key = /Key \(shown once; only its hash is stored\): (ebc_\S+)/.exec(created.out.join('\n'))?.[1];
    expect(key).toMatch(/^ebc_[A-Za-z0-9_-]{43}$/);
    const id = /\(([0-9a-f-]{36})\)/.exec(created.out[0]!)?.[1];

    const other = capture();
    expect(await runCli(['api-keys', 'create', '--org', 'Other', '--name', 'theirs'], other.io, env)).toBe(0);
    expect(other.out[0]).toContain('scopes tokens');

    const list = capture();
    expect(await runCli(['api-keys', 'list', '--org', 'Acme', '--json'], list.io, env)).toBe(0);
    const listed = JSON.parse(list.out.join('\n'));
    expect(listed).toEqual([
      expect.objectContaining({
        id,
        org: 'Acme',
        name: 'order sync',
        scopes: ['tokens', 'proxy'],
        revoked_at: null,
      }),
    ]);
    expect(list.out.join('\n')).not.toContain(key!.slice(4));
    const all = capture();
    expect(await runCli(['api-keys', 'list'], all.io, env)).toBe(0);
    expect(all.out).toHaveLength(2);
    expect(all.out.join('\n')).not.toContain(key!.slice(4));

    const revoked = capture();
    expect(await runCli(['api-keys', 'revoke', id!], revoked.io, env)).toBe(0);
    expect(revoked.out[0]).toContain('Revoked API key "order sync"');

    const database = await open();
    try {
      expect((await findApiKey(database.db, key!))?.revokedAt).toBeInstanceOf(Date);
      const rows = await queryRows(
        database.db,
        sql`select t::text as row from api_keys t`,
        z.object({ row: z.string() }),
      );
      for (const r of rows) expect(r.row).not.toContain(key!.slice(4));
    } finally {
      await database.close();
    }
  });

  it('refuses bad input with a clear message', async () => {
    const noOrg = capture();
    expect(await runCli(['api-keys', 'create', '--org', 'acme ', '--name', 'x'], noOrg.io, env)).toBe(1);
    expect(noOrg.err[0]).toBe('No org named "acme". Did you mean "Acme"?');
    const badScope = capture();
    expect(
      await runCli(
        ['api-keys', 'create', '--org', 'Acme', '--name', 'x', '--scopes', 'admin'],
        badScope.io,
        env,
      ),
    ).toBe(2);
    expect(badScope.err[0]).toBe('--scopes must be tokens, proxy or tokens,proxy');
    const noId = capture();
    expect(await runCli(['api-keys', 'revoke'], noId.io, env)).toBe(2);
    expect(noId.err[0]).toBe('ID is required');
    const badId = capture();
    expect(await runCli(['api-keys', 'revoke', 'abc'], badId.io, env)).toBe(2);
    const unknown = capture();
    expect(
      await runCli(['api-keys', 'revoke', '00000000-0000-4000-8000-000000000000'], unknown.io, env),
    ).toBe(1);
    expect(unknown.err[0]).toBe('No API key with id 00000000-0000-4000-8000-000000000000.');
  });
  it('prints a stored key name holding escape sequences as visible escapes, and refuses such a name', async () => {
    const refused = capture();
    expect(
      await runCli(['api-keys', 'create', '--org', 'Acme', '--name', 'evil\x1b[2J'], refused.io, env),
    ).not.toBe(0);
    const database = await open();
    const forged = 'Evil\x1b]0;pwned\x07\r\nforged line';
    await database.db.execute(
      sql`update api_keys set name = ${forged} where id = (select id from api_keys limit 1)`,
    );
    await database.close();
    const listed = capture();
    expect(await runCli(['api-keys', 'list'], listed.io, env)).toBe(0);
    expect(listed.out.filter(hasControlCharacters)).toEqual([]);
    expect(listed.out.join('\n')).toContain('Evil\\x1b]0;pwned\\x07\\r\\nforged line');
  });
});
