import { freePort, ROLE_SCRIPTS, simulatorEnv } from '@ebay-connector/server/test-support';
import { type Child, startChild } from './children.ts';
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
    ...simulatorEnv(c.sim),
    LOG_LEVEL: 'info',
    // The stages refresh 4,000 accounts of one database in rounds: more than the refresh plan
    // keeps warm within one keyset's daily budget. They test refreshing under faults, so every
    // account is warm (the plan has its own tests: workers/refreshPlan*.test.ts).
    TOKEN_REFRESH_POLICY: 'warm',
    // They also compress hours of refreshing into minutes (60 s tokens, three rounds of 2,000
    // in one fault stage): under one keyset's 50,000 a day, catch-up pacing would hold each
    // round to the budget's hourly share. Pacing and the quota are tested in
    // workers/refreshPlan.integration.test.ts and benchmarks 9 and 10.
    EBAY_DAILY_REFRESH_LIMIT: '10000000',
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
  const child = startChild(name, {
    script: ROLE_SCRIPTS.web,
    env: roleEnv(c, { PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url }),
  });
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
  const child = startChild(name, { script: ROLE_SCRIPTS.worker, env: roleEnv(c, env) });
  const [, instanceId] = await child.waitForLine(
    /"instance_id":"([^"]+)".*Token refresh worker started/,
    60_000,
  );
  return { child, instanceId: instanceId! };
}
