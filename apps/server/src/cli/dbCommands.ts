import { printable } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { type CliCommand, requireString } from './registry.ts';

export const dbMigrate: CliCommand = {
  group: 'db',
  name: 'migrate',
  summary: 'Applies pending database migrations (safe to run from several replicas at once).',
  usage: '',
  options: {},
  async run(_values, ctx) {
    // Opening the database applies the migrations.
    await ctx.database();
    ctx.io.out('Database migrated.');
    return 0;
  },
};

const MAX_ROWS = 1_000;
const MAX_LINE = 4_000;

/** `db sql --query "select …"`: one statement on the live database (the documented `db:psql`). */
export const dbSql: CliCommand = {
  group: 'db',
  name: 'sql',
  summary:
    'Runs one SQL statement and prints its rows as JSON lines (at most 1000); with `npm start` running, on its live database.',
  usage: '--query "SQL"',
  options: { query: { type: 'string' } },
  async run(values, ctx) {
    const query = requireString(values, 'query');
    const { db } = await ctx.database();
    let result: { rows?: unknown[] };
    try {
      result = (await db.execute(sql.raw(query))) as { rows?: unknown[] };
    } catch (err) {
      ctx.io.err(`SQL error: ${printableLine((err as Error).message)}`);
      return 1;
    }
    const rows = result.rows ?? [];
    for (const row of rows.slice(0, MAX_ROWS)) ctx.io.out(printableLine(JSON.stringify(row)));
    ctx.io.err(
      `(${rows.length} row${rows.length === 1 ? '' : 's'}${rows.length > MAX_ROWS ? `, first ${MAX_ROWS} shown` : ''})`,
    );
    return 0;
  },
};

/** One line of output: control characters escaped (the shared rule), cut at MAX_LINE. */
function printableLine(text: string): string {
  const clean = printable(text);
  return clean.length > MAX_LINE ? `${clean.slice(0, MAX_LINE)}…` : clean;
}
