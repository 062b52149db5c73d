import { createInterface } from 'node:readline';
import { alertsAfterEachCycle } from '../alerts/detectAndSendAlerts.ts';
import { loadEnvOrExit, openRuntime } from '../app/runtime.ts';
import { onShutdownSignal } from '../app/shutdown.ts';
import { createTokenRefreshWorker, type TokenRefreshWorkerOptions } from '../workers/tokenRefreshWorker.ts';

/**
 * `roles/worker.ts` with test knobs, for the multi-process test that needs several workers to
 * start their cycle at the same moment. Knobs are JSON in argv[2]:
 * `{ waitForGo?: boolean, worker?: TokenRefreshWorkerOptions }`. Prints `{"event":"ready"}`
 * once started up; with waitForGo, starts the loop only after reading "go" on stdin.
 */

interface Knobs {
  waitForGo?: boolean;
  worker?: Omit<TokenRefreshWorkerOptions, 'refresh' | 'random' | 'sleep' | 'onCycleRecorded'>;
}

const knobs = JSON.parse(process.argv[2] ?? '{}') as Knobs;
const runtime = await openRuntime(loadEnvOrExit(), { role: 'worker' });
process.stdout.write(`${JSON.stringify({ event: 'ready', instanceId: runtime.ctx.instanceId })}\n`);
if (knobs.waitForGo) await waitForLine('go');
const controller = onShutdownSignal(runtime.ctx.logger, async () => {
  await worker.done;
  await runtime.close();
});
const worker = createTokenRefreshWorker({
  ...knobs.worker,
  onCycleRecorded: alertsAfterEachCycle(runtime.ctx),
}).start(runtime.ctx, { signal: controller.signal });

function waitForLine(expected: string): Promise<void> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === expected) {
        lines.close();
        resolve();
      }
    });
  });
}
