import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createTokenRefreshWorker, loadEnvOrExit, openRuntime } from '@ebay-connector/server/worker';
import { serveIpc } from '../lib/ipcChild.ts';

/**
 * The token refresh worker as its own OS process, started like `roles/worker.ts` (same
 * environment variables, same runtime), but running one cycle when asked over IPC instead of
 * on a timer, and reporting the cycle's wall time and this process's CPU time.
 */

const runtime = await openRuntime(loadEnvOrExit(), { role: 'worker' });
let session: Session | null = null;

serveIpc({
  cycle: async ({
    concurrency,
    profilePath,
    allocationsPath,
  }: {
    concurrency: number;
    profilePath?: string;
    allocationsPath?: string;
  }) => {
    if (profilePath) await startProfile();
    if (allocationsPath) await startAllocations();
    const worker = createTokenRefreshWorker({ concurrency });
    const cpu0 = process.cpuUsage();
    const startedAtMs = Date.now();
    const t0 = performance.now();
    const summary = await worker.runCycle(runtime.ctx);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (profilePath) await stopProfile(profilePath);
    if (allocationsPath) await stopAllocations(allocationsPath);
    return {
      startedAtMs,
      wallMs,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      due: summary.due,
      refreshed: summary.refreshed,
      failed: summary.failed,
      skipped: summary.skipped,
      failedByCode: summary.failed_by_code,
      rssBytes: process.memoryUsage().rss,
    };
  },
  memory: () => process.memoryUsage(),
  close: () => runtime.close(),
});

async function startProfile(): Promise<void> {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
}

async function startAllocations(): Promise<void> {
  session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 16_384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
}

async function stopAllocations(file: string): Promise<void> {
  if (!session) return;
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  session = null;
}

async function stopProfile(file: string): Promise<void> {
  if (!session) return;
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
  session = null;
}
