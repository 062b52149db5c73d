import type { ParseArgsConfig } from 'node:util';
import type { Env } from '../config/env.ts';
import type { Database } from '../db/client.ts';

/**
 * The CLI's subcommand registry. A command is `<group> <name>` with its options, a line of
 * help and a run function; add one by writing a `CliCommand` (see usersCommands.ts) and
 * listing it in cli.ts. Output goes through `io` so tests can capture it.
 */

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliContext {
  /** The parsed configuration; read lazily, so commands such as `keys generate` work without one. */
  env(): Env;
  io: CliIo;
  /** Opens the configured database (DATABASE_URL, else PGlite in DATA_DIR), migrated, once. */
  database(): Promise<Database>;
}

export type CliOptions = NonNullable<ParseArgsConfig['options']>;
export type CliValues = Record<string, string | boolean | undefined>;

export interface CliCommand {
  group: string;
  name: string;
  summary: string;
  /** Option list for the usage line, e.g. `--org NAME --email E --role admin|viewer [--password P]`. */
  usage: string;
  options: CliOptions;
  /** Names of positional arguments, in order (`api-keys revoke ID` → `['id']`); each is required. */
  positionals?: readonly string[];
  /** Runs in the CLI's own process even while the server runs (e.g. writes files, needs no database). */
  local?: boolean;
  /** Exit code. Throw CliUsageError for bad arguments. */
  run(values: CliValues, ctx: CliContext): Promise<number>;
}

export class CliUsageError extends Error {}

export function requireString(values: CliValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new CliUsageError(`--${name} is required`);
  return value.trim();
}

export function usageOf(commands: readonly CliCommand[]): string {
  const lines = commands.map((c) => `  ${`${c.group} ${c.name} ${c.usage}`.trim()}\n      ${c.summary}`);
  return `Usage: npm run cli -- <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}
