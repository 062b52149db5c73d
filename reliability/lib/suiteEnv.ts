import { rmSync } from 'node:fs';
import { type AppContext, generateKeySpec } from '@ebay-connector/server';
import {
  createTestDatabase,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
} from '@ebay-connector/server/test-support';
import { suiteContext } from './appContext.ts';
import { BodyArchive } from './bodyArchive.ts';
import { killStartedChildren } from './children.ts';
import { ApiClient } from './http.ts';
import { ARTIFACTS_DIR, RESPONSES_DIR } from './paths.ts';
import { type RoleConfig, startWeb, type WebProcess } from './roles.ts';
import { type RemoteSim, startSim } from './sim.ts';

/**
 * What every stage shares: one fresh PostgreSQL database, reached by the processes under test
 * through a TCP proxy the suite can cut ("Postgres restarted"), one simulator process, one web
 * process, the archive of every response body, and a direct AppContext for set-up and checks.
 */
export interface SuiteEnv {
  database: TestDatabase;
  proxy: TcpProxy;
  sim: RemoteSim;
  /** Configuration of every web and worker process (DATABASE_URL through the proxy). */
  roles: RoleConfig;
  web: WebProcess;
  api: ApiClient;
  archive: BodyArchive;
  /** Direct database connection (not through the proxy). */
  ctx: AppContext;
}

/** How often the stages' waits check (each check queries the shared database). */
export const POLL = { intervalMs: 100 };

export async function startSuiteEnv(): Promise<SuiteEnv> {
  if (!process.env.DATABASE_URL) throw new Error('the reliability suite needs DATABASE_URL (PostgreSQL)');
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  const database = await createTestDatabase('postgres');
  const target = new URL(database.url!);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxied = new URL(database.url!);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const sim = await startSim();
  const roles: RoleConfig = { databaseUrl: proxied.toString(), sim, keySpec: generateKeySpec('rel1') };
  const web = await startWeb(roles);
  const archive = new BodyArchive(RESPONSES_DIR);
  return {
    database,
    proxy,
    sim,
    roles,
    web,
    api: new ApiClient(web.url, archive),
    archive,
    ctx: suiteContext(database.db, sim, roles.keySpec),
  };
}

export async function stopSuiteEnv(env: SuiteEnv | undefined): Promise<void> {
  env?.api.close();
  await killStartedChildren();
  await env?.archive.close();
  await env?.proxy.stop();
  await env?.database.close();
}
