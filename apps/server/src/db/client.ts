import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { z } from 'zod';
import { ensurePrivateDir } from '../config/privateDir.ts';
import * as schema from './schema.ts';

/** The database handle every domain function takes first. Same type on PostgreSQL and PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The node-postgres pool, in PostgreSQL mode (migration lock, health checks). */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
  /** PostgreSQL ends a transaction idle this long (its client went silent); default 60 s. */
  idleInTransactionTimeoutMs?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 20,
      connectionTimeoutMillis: 5_000,
      application_name: 'ebay-connector',
      // A transaction whose client went silent (a frozen process, a cut connection) is ended by
      // the server, so its row locks go too: a token row locked forever would be skipped by
      // every worker's claim (SKIP LOCKED) forever.
      idle_in_transaction_session_timeout: opts.idleInTransactionTimeoutMs ?? 60_000,
      // Dead peers are noticed by TCP, not only when a statement is sent.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // An idle client losing its connection (database restart) must not crash the process.
    pool.on('error', () => {});
    // Nor a checked-out one (a transaction in progress): pg-pool only listens on idle clients, so
    // the client's own 'error' event would be unhandled and kill the process. The statement in
    // flight fails with the same error and the dead client is discarded on release.
    pool.on('connect', (client) => client.on('error', () => {}));
    return {
      db: drizzlePg(pool, { schema }),
      kind: 'postgres',
      pool,
      close: () => pool.end(),
    };
  }
  const dir = opts.dataDir ?? './data';
  const dataDir = dir.startsWith('memory://') ? dir : path.resolve(dir, 'pglite');
  if (!dataDir.startsWith('memory://')) {
    // DATA_DIR and its database: this user only (the key file is 0600 in it).
    ensurePrivateDir(path.resolve(dir));
    ensurePrivateDir(dataDir);
  }
  // Loaded only in embedded mode: PGlite costs ~40 MB of RSS in every process that imports
  // it, which the web and worker roles on PostgreSQL do not need (docs/PERFORMANCE.md, benchmark 4).
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  // pg_trgm: the trigram indexes of the account search (0003) and the terminal search (0010);
  // PGlite ships it as a separately loaded extension (~10 ms at start).
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  return {
    db: drizzlePglite(client, { schema }),
    kind: 'pglite',
    close: () => client.close(),
  };
}

/**
 * Opens the PostgreSQL pool up to `connections` (capped by its max) before a burst of work, so
 * the burst does not pay for the connections one by one as it ramps up: the pool closes idle
 * connections after 10 s, so a worker whose cycles are 600 s apart starts every cycle with none
 * open (docs/PERFORMANCE.md, benchmark 1). Connects the missing ones in parallel and releases
 * them to the pool idle. A no-op on PGlite. A connection that fails is left to the work itself
 * to report: it returns how many it opened and never throws.
 */
export async function warmPool(db: Db, connections: number): Promise<number> {
  const pool = (db as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool)) return 0;
  const before = pool.totalCount;
  const wanted = Math.min(connections, pool.options.max ?? 10) - (pool.totalCount - pool.idleCount);
  if (wanted <= pool.idleCount) return 0;
  // All asked for in one tick: idle clients go to the first, new connections open for the rest.
  // Each is released as soon as it is open, so other work waiting on the pool is never held up.
  await Promise.allSettled(Array.from({ length: wanted }, async () => (await pool.connect()).release()));
  return Math.max(0, pool.totalCount - before);
}

/** Applies pending migrations. On PostgreSQL an advisory lock keeps concurrent replicas from racing. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the concrete PGlite driver type
    await migratePglite(database.db as any, { migrationsFolder: MIGRATIONS_DIR });
    return;
  }
  const lockClient = await database.pool!.connect();
  try {
    await lockClient.query('select pg_advisory_lock(727274)');
    // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the concrete node-postgres driver type
    await migratePg(database.db as any, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await lockClient.query('select pg_advisory_unlock(727274)').catch(() => {});
    lockClient.release();
  }
}

/** A raw result whose rows do not have the shape its query promised (a bug, never bad input). */
export class RowShapeError extends Error {}

/**
 * Rows of a raw query, the same on both drivers, each checked and normalised by `row` (column
 * shapes in rows.ts). A mismatch throws RowShapeError naming the column and the expected
 * type, never the value: rows hold tokens.
 */
export async function queryRows<Row extends z.ZodType>(
  db: Db,
  query: SQL,
  row: Row,
): Promise<z.output<Row>[]> {
  const result: unknown = await db.execute(query);
  return checkRows(rowsOf(result), row);
}

/** The array schema of each row schema, built once (a hot path's queries run thousands of times a second). */
const arraysOfRows = new WeakMap<z.ZodType, z.ZodArray<z.ZodType>>();

function checkRows<Row extends z.ZodType>(rows: unknown[], row: Row): z.output<Row>[] {
  let rowsSchema = arraysOfRows.get(row);
  if (!rowsSchema) {
    rowsSchema = z.array(row);
    arraysOfRows.set(row, rowsSchema);
  }
  const checked = rowsSchema.safeParse(rows);
  if (!checked.success) throw new RowShapeError(`query rows do not match: ${z.prettifyError(checked.error)}`);
  return checked.data as z.output<Row>[];
}

/** The parts of drizzle's database object that `execute` uses, to name the statement it prepares. */
interface NamingSession {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(
      query: { sql: string; params: unknown[] },
      fields: undefined,
      name: string,
      isResponseInArrayMode: boolean,
    ): { execute(): Promise<unknown> };
  };
}

/**
 * `queryRows` as a named prepared statement: node-postgres parses and plans it once per
 * connection, then only binds and runs it (a hot path's per-request or per-refresh cost,
 * docs/PERFORMANCE.md benchmarks 1 and 8). The statement's name is `name` and a digest of its
 * SQL text, so a query whose text varies by branch (a null written as a literal, an optional
 * clause) is one prepared statement per variant; the parameters may vary. PGlite runs it as any
 * other statement. Falls back to `queryRows` if drizzle's internals ever move.
 */
export async function queryRowsPrepared<Row extends z.ZodType>(
  db: Db,
  name: string,
  query: SQL,
  row: Row,
): Promise<z.output<Row>[]> {
  const naming = db as unknown as Partial<NamingSession>;
  if (
    typeof naming.dialect?.sqlToQuery !== 'function' ||
    typeof naming.session?.prepareQuery !== 'function'
  ) {
    return queryRows(db, query, row);
  }
  const built = naming.dialect.sqlToQuery(query);
  const statement = `${name}_${textDigest(built.sql)}`;
  const result = await naming.session.prepareQuery(built, undefined, statement, false).execute();
  return checkRows(rowsOf(result), row);
}

/** Digests of the SQL texts seen (a handful per prepared query; bounded all the same). */
const digests = new Map<string, string>();
const MAX_DIGESTS = 1000;

function textDigest(text: string): string {
  let digest = digests.get(text);
  if (digest === undefined) {
    digest = createHash('sha256').update(text).digest('base64url').slice(0, 16);
    if (digests.size >= MAX_DIGESTS) digests.clear();
    digests.set(text, digest);
  }
  return digest;
}

function rowsOf(result: unknown): unknown[] {
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    return result.rows;
  }
  throw new RowShapeError('the driver returned no rows array');
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** SQLSTATEs of a server that is going away or cannot take the connection. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error/i;

/**
 * Whether an error means the database cannot be reached right now (refused, reset, shut down,
 * out of connections), as opposed to a query that is wrong. Looks through drizzle's wrapper
 * (`cause`) and AggregateError (both addresses of localhost refused).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))
  ) {
    return true;
  }
  if (UNREACHABLE_MESSAGES.test(error.message)) return true;
  if (error instanceof AggregateError && error.errors.some((e) => isDatabaseUnavailable(e, depth + 1)))
    return true;
  return isDatabaseUnavailable(error.cause, depth + 1);
}
