import { randomBytes } from 'node:crypto';
import { type Database, migrateDatabase, openDatabase } from '@ebay-connector/server';
import { withDatabaseName } from '@ebay-connector/server/test-support';
import pg from 'pg';

/** A fresh, migrated PostgreSQL database per benchmark suite, dropped afterwards. */

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchDatabase extends Database {
  url: string;
  name: string;
  pool: pg.Pool;
}

export function adminUrl(): string {
  return process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

/** Databases this process created and has not dropped yet (dropped on Ctrl-C too). */
const live = new Set<string>();

export async function dropLiveDatabases(): Promise<void> {
  for (const name of live) {
    await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => {});
    live.delete(name);
  }
}

export async function createBenchDatabase(label: string, poolSize = 10): Promise<BenchDatabase> {
  const name = `ebc_bench_${label}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`create database ${name}`));
  live.add(name);
  const url = withDatabaseName(adminUrl(), name);
  const database = await openDatabase({ databaseUrl: url, poolSize });
  await migrateDatabase(database);
  return {
    ...database,
    url,
    name,
    pool: database.pool!,
    async close() {
      await database.close();
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
      live.delete(name);
    },
  };
}

export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function postgresVersion(): Promise<string> {
  try {
    return await withAdmin(async (c) => {
      const { rows } = await c.query<{ server_version: string }>('show server_version');
      return `PostgreSQL ${rows[0]?.server_version ?? '?'}`;
    });
  } catch (err) {
    return `PostgreSQL unreachable (${(err as Error).message})`;
  }
}
