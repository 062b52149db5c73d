import { alertsAfterEachCycle } from '../alerts/detectAndSendAlerts.ts';
import { loadEnvOrExit, openRuntimeOrExit } from '../app/runtime.ts';
import { onShutdownSignal } from '../app/shutdown.ts';
import { startTokenRefreshWorker } from '../workers/tokenRefreshWorker.ts';

/** `npm run start:worker`: the token refresh worker alone, against DATABASE_URL. Run any number. */
const env = loadEnvOrExit();
const runtime = await openRuntimeOrExit(env, { role: 'worker' });
const controller = onShutdownSignal(runtime.ctx.logger, async () => {
  await worker.done;
  await runtime.close();
});
const worker = startTokenRefreshWorker(runtime.ctx, {
  signal: controller.signal,
  onCycleRecorded: alertsAfterEachCycle(runtime.ctx),
});
runtime.ctx.logger.info({ instance_id: runtime.ctx.instanceId }, 'Token refresh worker started');
