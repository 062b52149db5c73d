import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { ConfigError, configWarnings, type Env, parseEnv, scopesOf } from '../config/env.ts';
import type { AppContext, EbayAppConfig } from '../context.ts';
import { createTokenCipher } from '../crypto/tokenCipher.ts';
import { type Database, migrateDatabase, openDatabase } from '../db/client.ts';
import { REFRESHES_PER_EBAY_SLOT } from '../workers/ebaySlots.ts';
import { loadKeyRing } from './keyRing.ts';
import { loadSimState, saveSimState } from './simState.ts';

/**
 * Process start-up shared by every role: configuration, logger, database (migrated),
 * key ring, and the eBay application (real credentials, or the built-in simulator in
 * embedded mode).
 */

export interface Runtime {
  ctx: AppContext;
  database: Database;
  sim: EbaySim | null;
  close(): Promise<void>;
}

export function loadEnvOrExit(): Env {
  try {
    return parseEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** openRuntime for process entry points: a configuration problem prints its message and exits 1, no stack trace. */
export async function openRuntimeOrExit(
  env: Env,
  opts: { role: 'all' | 'web' | 'worker' },
): Promise<Runtime> {
  try {
    return await openRuntime(env, opts);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** Readable lines for a person at a terminal; JSON lines for machines (LOG_FORMAT=json, or not a TTY). */
export function logFormatOf(
  env: Pick<Env, 'LOG_FORMAT'>,
  isTTY: boolean = Boolean(process.stdout.isTTY),
): 'json' | 'pretty' {
  return env.LOG_FORMAT ?? (isTTY ? 'pretty' : 'json');
}

export function createLogger(env: Env, destination?: DestinationStream): Logger {
  const stream =
    destination ??
    (logFormatOf(env) === 'pretty'
      ? pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' })
      : undefined);
  const options = {
    level: env.LOG_LEVEL,
    redact: {
      paths: [
        '*.password',
        '*.refresh_token',
        '*.access_token',
        '*.client_secret',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '********',
    },
  };
  return stream ? pino(options, stream) : pino(options);
}

export async function openRuntime(
  env: Env,
  opts: { role: 'all' | 'web' | 'worker'; logger?: Logger },
): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(env);
  for (const warning of configWarnings(env)) logger.warn(warning);
  const { ring, generatedAt } = loadKeyRing(env);
  if (generatedAt) logger.info({ file: generatedAt }, 'Generated a token encryption key for embedded mode');
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    // Every refresh in flight may hold a connection at once, plus the claim, heartbeat and alerts.
    poolSize: Math.max(20, env.TOKEN_REFRESH_CONCURRENCY * REFRESHES_PER_EBAY_SLOT + 4),
  });
  await migrateDatabase(database);
  const { ebay, sim } = await resolveEbayApp(env, opts.role, logger);
  const ctx: AppContext = {
    db: database.db,
    dbKind: database.kind,
    env: sim ? withSimulatedNotifications(env, sim) : env,
    cipher: createTokenCipher(ring),
    ebay,
    logger,
    now: () => new Date(),
    instanceId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
  };
  return {
    ctx,
    database,
    sim,
    async close() {
      if (sim) {
        saveSimState(env.DATA_DIR, sim);
        await sim.close();
      }
      await database.close();
    },
  };
}

/**
 * The embedded default plays eBay's side of Marketplace Account Deletion too: without a configured
 * verification token it derives one from the simulator's client secret (kept in DATA_DIR with the
 * simulator's state, so it is stable across restarts), so the endpoint is live and the simulator's
 * signed notifications go through the real verification path.
 */
function withSimulatedNotifications(env: Env, sim: EbaySim): Env {
  if (env.EBAY_NOTIFICATION_VERIFICATION_TOKEN) return env;
  const token = createHash('sha256').update(`notification-verification:${sim.clientSecret}`).digest('hex');
  return { ...env, EBAY_NOTIFICATION_VERIFICATION_TOKEN: token };
}

async function resolveEbayApp(
  env: Env,
  role: 'all' | 'web' | 'worker',
  logger: Logger,
): Promise<{ ebay: EbayAppConfig; sim: EbaySim | null }> {
  const base = {
    scopes: scopesOf(env),
    defaultEnvironment: env.EBAY_ENVIRONMENT,
    timeoutMs: env.EBAY_HTTP_TIMEOUT_MS,
  };
  if (env.EBAY_CLIENT_ID && env.EBAY_CLIENT_SECRET && env.EBAY_RU_NAME) {
    const overrides = {
      ...(env.EBAY_AUTH_BASE_URL ? { authBaseUrl: env.EBAY_AUTH_BASE_URL } : {}),
      ...(env.EBAY_API_BASE_URL ? { apiBaseUrl: env.EBAY_API_BASE_URL } : {}),
      ...(env.EBAY_APIZ_BASE_URL ? { apizBaseUrl: env.EBAY_APIZ_BASE_URL } : {}),
    };
    const ebay = {
      ...base,
      clientId: env.EBAY_CLIENT_ID,
      clientSecret: env.EBAY_CLIENT_SECRET,
      ruName: env.EBAY_RU_NAME,
    };
    return { ebay: { ...ebay, overrides, simulated: Object.keys(overrides).length > 0 }, sim: null };
  }
  if (role !== 'all') {
    throw new ConfigError(
      'Invalid configuration:\n  - EBAY_CLIENT_ID, EBAY_CLIENT_SECRET, EBAY_RU_NAME: required for start:web and start:worker (`npm start` runs the built-in eBay simulator instead)',
    );
  }
  const state = loadSimState(env.DATA_DIR);
  const sim = await startEbaySim({ port: env.EBAY_SIM_PORT, ...state.options });
  if (state.restore) state.restore(sim);
  logger.info({ url: sim.url }, 'Built-in eBay simulator started (no EBAY_* credentials configured)');
  const overrides = { authBaseUrl: sim.url, apiBaseUrl: sim.url, apizBaseUrl: sim.url };
  return {
    ebay: {
      ...base,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      ruName: sim.ruName,
      overrides,
      simulated: true,
    },
    sim,
  };
}
