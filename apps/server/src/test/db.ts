import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, migrateDatabase, openDatabase } from '../db/client.ts';

/**
 * Integration tests run on PGlite always and on PostgreSQL when DATABASE_URL is set
 * (.ci/run sets it). Each test database is fresh: an in-memory PGlite, or a new
 * PostgreSQL database dropped afterwards.
 */

export type DbKind = 'pglite' | 'postgres';
export const DB_KINDS: DbKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends Database {
  /** PostgreSQL only: the URL of this test database, for child processes. */
  url?: string;
}

/** `migrate: false`: an empty database (a test that runs `db migrate` itself). */
export async function createTestDatabase(
  kind: DbKind,
  opts: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const migrate = opts.migrate ?? true;
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    if (migrate) await migrateDatabase(database);
    return database;
  }
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `ebc_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (c) => c.query(`create database ${name}`));
  const url = withDatabaseName(adminUrl, name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 30 });
  if (migrate) await migrateDatabase(database);
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await withAdminClient(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdminClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs a suite once per database kind, with a fresh migrated database per suite. */
export function describeEachDb(title: string, body: (get: () => TestDatabase, kind: DbKind) => void): void {
  for (const kind of DB_KINDS) {
    describe(`${title} [${kind}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(kind);
      });
      afterAll(async () => {
        await database?.close();
      });
      body(() => {
        if (!database) throw new Error('test database not ready');
        return database;
      }, kind);
    });
  }
}
