import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { acquireDataDirLock, type DataDirLock, DataDirLockedError, liveHolder } from './app/dataDirLock.ts';
import { apiKeysCreate, apiKeysList, apiKeysRevoke } from './cli/apiKeysCommands.ts';
import { forwardToServer } from './cli/controlChannel.ts';
import { dbMigrate, dbSql } from './cli/dbCommands.ts';
import { keysGenerate } from './cli/keysCommands.ts';
import {
  type CliCommand,
  type CliContext,
  type CliIo,
  CliUsageError,
  type CliValues,
  usageOf,
} from './cli/registry.ts';
import { tokensDoctor, tokensRepair } from './cli/tokensCommands.ts';
import { usersCreate } from './cli/usersCommands.ts';
import { ConfigError, type Env, parseEnv } from './config/env.ts';
import { type Database, migrateDatabase, openDatabase } from './db/client.ts';

/**
 * `npm run cli -- <group> <name> [options]`. Commands live in cli/*Commands.ts; list new
 * ones here. In embedded mode (PGlite in DATA_DIR) a command runs inside the server that holds
 * DATA_DIR (through the control channel, cli/controlChannel.ts) when one runs; otherwise the CLI
 * takes DATA_DIR's lock and opens the folder itself. Commands marked `local` always run here.
 */
export const COMMANDS: readonly CliCommand[] = [
  usersCreate,
  dbMigrate,
  dbSql,
  keysGenerate,
  tokensDoctor,
  tokensRepair,
  apiKeysCreate,
  apiKeysList,
  apiKeysRevoke,
];

const stdio: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function runCli(
  argv: readonly string[],
  io: CliIo = stdio,
  source = process.env,
  opts: { database?: Database } = {},
): Promise<number> {
  const [group, name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.group === group && c.name === name);
  if (!command) {
    if (group && group !== 'help' && group !== '--help')
      io.err(`Unknown command: ${[group, name].filter(Boolean).join(' ')}`);
    io.out(usageOf(COMMANDS));
    return group && group !== 'help' && group !== '--help' ? 2 : 0;
  }
  let database: Database | undefined = opts.database;
  let lock: DataDirLock | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: command.options,
      strict: true,
      allowPositionals: command.positionals !== undefined,
    });
    const names = command.positionals ?? [];
    if (positionals.length !== names.length) {
      throw new CliUsageError(
        positionals.length < names.length
          ? `${names
              .slice(positionals.length)
              .map((n) => n.toUpperCase())
              .join(' ')} is required`
          : `unexpected argument: ${positionals.slice(names.length).join(' ')}`,
      );
    }
    names.forEach((name, i) => {
      (values as CliValues)[name] = positionals[i];
    });
    let env: Env | undefined;
    if (!opts.database && !command.local) {
      env = parseEnv(source);
      if (!env.DATABASE_URL) {
        const holder = liveHolder(env.DATA_DIR);
        if (holder && holder.role !== 'cli') return await forwardToServer(env.DATA_DIR, argv, io);
        if (holder) throw new DataDirLockedError(holder);
        lock = acquireDataDirLock(env.DATA_DIR, { role: 'cli' });
      }
    }
    const ctx: CliContext = {
      env: () => {
        env ??= parseEnv(source);
        return env;
      },
      io,
      async database() {
        if (!database) {
          const { DATABASE_URL, DATA_DIR } = ctx.env();
          database = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: DATA_DIR });
          await migrateDatabase(database);
        }
        return database;
      },
    };
    return await command.run(values as CliValues, ctx);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      io.err(err.message);
      return 1;
    }
    if (err instanceof CliUsageError || err instanceof ConfigError || isParseArgsError(err)) {
      io.err((err as Error).message);
      io.err(`Usage: npm run cli -- ${command.group} ${command.name} ${command.usage}`);
      return 2;
    }
    throw err;
  } finally {
    if (database && database !== opts.database) await database.close();
    lock?.release();
  }
}

function isParseArgsError(err: unknown): boolean {
  return (
    err instanceof TypeError && String((err as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS')
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
