import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatorEnv } from '@ebay-connector/server/test-support';
import { type BenchChild, spawnBenchChild } from './ipc.ts';
import type { SimInfo } from './simProcess.ts';

/** Parent-side handle on the worker child process (children/workerChild.ts). */

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../children/workerChild.ts');

export interface CycleRun {
  /** Wall clock (ms since the epoch) at the cycle's start, to place its refreshes in time. */
  startedAtMs: number;
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  due: number;
  refreshed: number;
  failed: number;
  skipped: number;
  failedByCode: Record<string, number>;
  rssBytes: number;
}

export interface WorkerProcess {
  child: BenchChild;
  pid: number;
  runCycle(concurrency: number, profilePath?: string, allocationsPath?: string): Promise<CycleRun>;
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

export async function startWorkerProcess(opts: {
  databaseUrl: string;
  keySpec: string;
  sim: SimInfo;
  /** TOKEN_REFRESH_CONCURRENCY: sizes the worker's pool (the benchmark's cycles ask for this). */
  concurrency: number;
  nodeArgs?: string[];
}): Promise<WorkerProcess> {
  // The worker role's own configuration only (the spawner passes none of the parent's).
  const child = spawnBenchChild(SCRIPT, {
    ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: opts.databaseUrl,
      TOKEN_ENCRYPTION_KEYS: opts.keySpec,
      // Benchmarks 1, 2 and 4 measure cycles of up to 10,000 due accounts, more than the refresh
      // plan keeps warm within one keyset's daily budget (about 3,000): every account warm.
      TOKEN_REFRESH_POLICY: 'warm',
      // Sizes the pool as a deploy at this concurrency has it (runtime.ts), so the refreshes in
      // flight are not queued for connections.
      TOKEN_REFRESH_CONCURRENCY: String(opts.concurrency),
      // The benchmark's own refreshes of the last 24 h (every run's, and earlier benchmarks') count
      // against the keyset's daily budget like anyone's: a limit it cannot reach, as the
      // reliability suite does, so a cycle is never cut short by the budget (a first cold try
      // stopped at 9,200 of 10,000 accounts).
      EBAY_DAILY_REFRESH_LIMIT: '10000000',
      ...simulatorEnv(opts.sim),
    },
  });
  await child.ready;
  return {
    child,
    pid: child.pid,
    runCycle: (concurrency, profilePath, allocationsPath) =>
      child.call<CycleRun>('cycle', {
        concurrency,
        ...(profilePath ? { profilePath } : {}),
        ...(allocationsPath ? { allocationsPath } : {}),
      }),
    memory: () => child.call<NodeJS.MemoryUsage>('memory'),
    async stop() {
      await child.call('close').catch(() => {});
      await child.stop();
    },
  };
}
