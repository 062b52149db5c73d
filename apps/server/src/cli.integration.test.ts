import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { verifyPassword } from './auth/passwords.ts';
import { runCli } from './cli.ts';
import { type Database, openDatabase, queryRows } from './db/client.ts';
import { createTestDatabase, DB_KINDS, type TestDatabase } from './test/db.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe.each(DB_KINDS)('cli [%s]', (kind) => {
  let env: Record<string, string>;
  let reopen: () => Promise<Database>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (kind === 'pglite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'ebc-cli-'));
      env = { DATA_DIR: dir, NODE_ENV: 'test' };
      reopen = () => openDatabase({ dataDir: dir });
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const test: TestDatabase = await createTestDatabase('postgres');
      env = { DATABASE_URL: test.url!, NODE_ENV: 'test' };
      reopen = () => openDatabase({ databaseUrl: test.url! });
      cleanup = () => test.close();
    }
  });
  afterAll(() => cleanup());

  it('migrates, creates an org and a user with a generated password printed once, then another user in it', async () => {
    const c = capture();
    expect(await runCli(['db', 'migrate'], c.io, env)).toBe(0);
    expect(
      await runCli(
        ['users', 'create', '--org', 'Acme', '--email', 'Ops@Acme.test', '--role', 'admin', '--create-org'],
        c.io,
        env,
      ),
    ).toBe(0);
    const password = c.out.find((l) => l.startsWith('Password (shown once): '))!.split(': ')[1]!;
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(c.out.join('\n')).toContain('Created org "Acme"');
    expect(
      await runCli(
        [
          'users',
          'create',
          '--org',
          'Acme',
          '--email',
          'v@acme.test',
          '--role',
          'viewer',
          '--password',
          'long-enough',
        ],
        c.io,
        env,
      ),
    ).toBe(0);
    expect(c.out.filter((l) => l.startsWith('Password'))).toHaveLength(1);

    const db = await reopen();
    try {
      const users = await queryRows(
        db.db,
        sql`select u.email, u.role, u.password_hash, o.name as org from users u join orgs o on o.id = u.org_id order by u.email`,
        z.looseObject({ email: z.string(), role: z.string(), password_hash: z.string(), org: z.string() }),
      );
      expect(users.map((u) => [u.email, u.role, u.org])).toEqual([
        ['ops@acme.test', 'admin', 'Acme'],
        ['v@acme.test', 'viewer', 'Acme'],
      ]);
      expect(await verifyPassword(users[0]!.password_hash, password)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('refuses a duplicate email, a bad role and missing options with a clear message', async () => {
    const c = capture();
    expect(
      await runCli(
        ['users', 'create', '--org', 'Acme', '--email', 'ops@acme.test', '--role', 'admin'],
        c.io,
        env,
      ),
    ).toBe(1);
    expect(c.err.join('\n')).toContain('already exists');
    expect(
      await runCli(
        ['users', 'create', '--org', 'Acme', '--email', 'x@acme.test', '--role', 'root'],
        c.io,
        env,
      ),
    ).toBe(2);
    expect(c.err.join('\n')).toContain('--role must be admin or viewer');
    expect(
      await runCli(
        [
          'users',
          'create',
          '--org',
          'Acme',
          '--email',
          'y@acme.test',
          '--role',
          'admin',
          '--password',
          'Password1',
        ],
        c.io,
        env,
      ),
    ).toBe(2);
    expect(c.err.join('\n')).toContain('--password: password is one of the most common passwords');
    const long = (flag: string, value: string) =>
      runCli(
        ['users', 'create', '--org', 'Acme', '--email', 'z@acme.test', '--role', 'admin', flag, value],
        c.io,
        env,
      );
    expect(await long('--org', 'O'.repeat(101))).toBe(2);
    expect(c.err.join('\n')).toContain('--org: at most 100 characters (got 101)');
    expect(await long('--email', `${'e'.repeat(300)}@acme.test`)).toBe(2);
    expect(c.err.join('\n')).toContain('is not an email address');
    expect(await runCli(['users', 'create', '--email', 'x@acme.test'], c.io, env)).toBe(2);
    expect(c.err.join('\n')).toContain('--org is required');
    expect(await runCli(['users', 'create', '--bogus'], c.io, env)).toBe(2);
    expect(await runCli(['nope'], c.io, env)).toBe(2);
    expect(c.out.join('\n')).toContain('users create --org NAME');
  });

  it('refuses an org that does not exist without --create-org, naming the one that differs only in case', async () => {
    const c = capture();
    expect(
      await runCli(
        ['users', 'create', '--org', 'acme', '--email', 'typo@acme.test', '--role', 'viewer'],
        c.io,
        env,
      ),
    ).toBe(1);
    expect(c.err.join('\n')).toBe(
      'No org named "acme". Did you mean "Acme"? To create it, add --create-org.',
    );
    expect(
      await runCli(
        ['users', 'create', '--org', 'Nowhere', '--email', 'n@x.test', '--role', 'viewer'],
        c.io,
        env,
      ),
    ).toBe(1);
    expect(c.err.at(-1)).toBe('No org named "Nowhere". To create it, add --create-org.');
    const db = await reopen();
    try {
      const orgs = await queryRows(
        db.db,
        sql`select name from orgs order by name`,
        z.object({ name: z.string() }),
      );
      expect(orgs.map((o) => o.name)).toEqual(['Acme']);
      const typo = await queryRows(
        db.db,
        sql`select email from users where email in ('typo@acme.test', 'n@x.test')`,
        z.object({ email: z.string() }),
      );
      expect(typo).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('generates keys without any configuration', async () => {
    const c = capture();
    expect(await runCli(['keys', 'generate', '--id', 'k2026'], c.io, { NODE_ENV: 'production' })).toBe(0);
    expect(c.out[0]).toMatch(/^k2026:[A-Za-z0-9+/]{43}=$/);
  });
});
