import type { Database } from '@ebay-connector/server';
import type pg from 'pg';

/** `query(text, params)` on either driver, so bulk seeding SQL runs on PostgreSQL and PGlite alike. */
export interface SqlClient {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export function sqlClientOf(database: Database): SqlClient {
  if (database.pool) return database.pool as unknown as SqlClient;
  const client = (database.db as unknown as { $client: SqlClient }).$client;
  return client;
}

export type { pg };
