import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EbaySim } from '@ebay-connector/ebay-sim';
import { TEST_KEY_SPEC } from '../../test/appContext.ts';

/**
 * Starts a worker as a real OS process (`node --import tsx`, one process so signals reach it):
 * the production role `roles/worker.ts`, or `testing/workerProcess.ts` (the same with test knobs).
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCRIPTS = {
  role: path.resolve(HERE, '../../roles/worker.ts'),
  knobs: path.join(HERE, 'workerProcess.ts'),
};

export interface WorkerChild {
  process: ChildProcess;
  /** stdout and stderr lines so far (for failure messages). */
  output: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForEvent(event: string, timeoutMs?: number): Promise<void>;
  go(): void;
}

export function spawnWorker(opts: {
  databaseUrl: string;
  sim: EbaySim;
  knobs?: Record<string, unknown>;
  env?: Record<string, string>;
}): WorkerChild {
  const args = opts.knobs ? [SCRIPTS.knobs, JSON.stringify(opts.knobs)] : [SCRIPTS.role];
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(EBAY_|TOKEN_|ADMIN_|ALERT_|DATABASE_URL$|LOG_LEVEL$)/.test(k),
    ),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: {
      ...inherited,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: opts.databaseUrl,
      TOKEN_ENCRYPTION_KEYS: TEST_KEY_SPEC,
      EBAY_CLIENT_ID: opts.sim.clientId,
      EBAY_CLIENT_SECRET: opts.sim.clientSecret,
      EBAY_RU_NAME: opts.sim.ruName,
      EBAY_AUTH_BASE_URL: opts.sim.url,
      EBAY_API_BASE_URL: opts.sim.url,
      EBAY_APIZ_BASE_URL: opts.sim.url,
      ...opts.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const events = new Set<string>();
  const waiters: { event: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      output.push(line);
      const event = /"event":"([a-z]+)"/.exec(line)?.[1];
      if (!event) continue;
      events.add(event);
      for (const w of waiters.filter((w) => w.event === event)) w.resolve();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    process: child,
    output,
    exit,
    go: () => child.stdin?.write('go\n'),
    waitForEvent(event, timeoutMs = 30_000) {
      if (events.has(event)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `worker did not report "${event}" in ${timeoutMs} ms:\n${output.slice(-30).join('\n')}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          event,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void exit.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(
            new Error(
              `worker exited (${code ?? signal}) before "${event}":\n${output.slice(-30).join('\n')}`,
            ),
          );
        });
      });
    },
  };
}
