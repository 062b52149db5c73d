import { freePort } from '../../apps/server/src/test/freePort.ts';
import { type Child, spawnNodeScript } from './children.ts';
import type { RemoteSim } from './sim.ts';

/** The production process roles (`roles/web.ts`, `roles/worker.ts`), configured only through their environment. */

export interface RoleConfig {
  databaseUrl: string;
  sim: RemoteSim;
  keySpec: string;
}

export function roleEnv(c: RoleConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: c.databaseUrl,
    TOKEN_ENCRYPTION_KEYS: c.keySpec,
    EBAY_CLIENT_ID: c.sim.clientId,
    EBAY_CLIENT_SECRET: c.sim.clientSecret,
    EBAY_RU_NAME: c.sim.ruName,
    EBAY_AUTH_BASE_URL: c.sim.url,
    EBAY_API_BASE_URL: c.sim.url,
    EBAY_APIZ_BASE_URL: c.sim.url,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export interface WebProcess {
  child: Child;
  url: string;
}

export async function startWeb(c: RoleConfig, name = 'web'): Promise<WebProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnNodeScript(
    name,
    'apps/server/src/roles/web.ts',
    [],
    roleEnv(c, { PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url }),
  );
  await child.waitForLine(/Server listening at/, 60_000);
  return { child, url };
}

export interface WorkerProcess {
  child: Child;
  instanceId: string;
}

export async function startWorker(
  c: RoleConfig,
  name: string,
  env: Record<string, string>,
): Promise<WorkerProcess> {
  const child = spawnNodeScript(name, 'apps/server/src/roles/worker.ts', [], roleEnv(c, env));
  const [, instanceId] = await child.waitForLine(
    /"instance_id":"([^"]+)".*Token refresh worker started/,
    60_000,
  );
  return { child, instanceId: instanceId! };
}
