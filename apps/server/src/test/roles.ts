import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EbaySim } from '@ebay-connector/ebay-sim';
import { TEST_KEY_SPEC } from './appContext.ts';
import { type NodeProcess, type NodeProcessOptions, startNodeProcess } from './nodeProcess.ts';
import { simulatorEnv } from './simulator.ts';

/** The server's process roles (`roles/*.ts`) as processes of a test, a benchmark or the reliability suite. */

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const ROLE_SCRIPTS = {
  /** `npm start`: web, worker and (without EBAY_* credentials) the simulator in one process. */
  all: path.resolve(HERE, '../roles/all.ts'),
  web: path.resolve(HERE, '../roles/web.ts'),
  worker: path.resolve(HERE, '../roles/worker.ts'),
  /** `roles/worker.ts` with test knobs (workerWithKnobs.ts). */
  workerWithKnobs: path.join(HERE, 'workerWithKnobs.ts'),
} as const;

export type Role = keyof typeof ROLE_SCRIPTS;

export function startRole(role: Role, opts: Omit<NodeProcessOptions, 'script'> = {}): NodeProcess {
  return startNodeProcess({ name: role, ...opts, script: ROLE_SCRIPTS[role] });
}

export interface WorkerChild extends NodeProcess {
  /** Resolves once the worker printed `{"event":"<event>"}` (workerWithKnobs prints "ready"). */
  waitForEvent(event: string, timeoutMs?: number): Promise<void>;
  /** Lets a worker started with `waitForGo` begin its loop. */
  go(): void;
}

/** A worker process on `databaseUrl` and `sim`: the production role, or with knobs its test variant. */
export function spawnWorker(opts: {
  databaseUrl: string;
  sim: EbaySim;
  knobs?: Record<string, unknown>;
  env?: Record<string, string>;
}): WorkerChild {
  const child = startRole(opts.knobs ? 'workerWithKnobs' : 'worker', {
    name: 'worker',
    ...(opts.knobs ? { args: [JSON.stringify(opts.knobs)] } : {}),
    stdin: true,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: opts.databaseUrl,
      TOKEN_ENCRYPTION_KEYS: TEST_KEY_SPEC,
      ...simulatorEnv(opts.sim),
      ...opts.env,
    },
  });
  return {
    ...child,
    waitForEvent: (event, timeoutMs) =>
      child.waitForLine(new RegExp(`"event":"${event}"`), timeoutMs).then(() => {}),
    go: () => child.writeLine('go'),
  };
}
