import { endpoints } from '@ebay-connector/contracts';
import { startAlertMonitor } from '../alerts/alertMonitor.ts';
import { alertsAfterEachCycle } from '../alerts/detectAndSendAlerts.ts';
import { firstStart } from '../app/firstStart.ts';
import { loadEnvOrExit, openRuntimeOrExit } from '../app/runtime.ts';
import { onShutdownSignal } from '../app/shutdown.ts';
import { saveSimState } from '../app/simState.ts';
import { startWebServer } from '../app/webServer.ts';
import { startTokenRefreshWorker } from '../workers/tokenRefreshWorker.ts';

/**
 * `npm start`: the embedded default. Web and worker in one process, PGlite in DATA_DIR,
 * and (without EBAY_* credentials) the built-in eBay simulator with demo accounts.
 */
const env = loadEnvOrExit();
const runtime = await openRuntimeOrExit(env, { role: 'all' });
const { ctx, sim } = runtime;
await firstStart(ctx, sim);
const web = await startWebServer(ctx);
sim?.control.setRedirectUrls(`${web.publicUrl}${endpoints.oauthCallback.path}`);
const persistSim = sim && setInterval(() => saveSimState(env.DATA_DIR, sim), 5_000);
persistSim?.unref();
const controller = onShutdownSignal(ctx.logger, async () => {
  if (persistSim) clearInterval(persistSim);
  await Promise.all([worker.done, monitor?.done]);
  await web.close();
  await runtime.close();
});
const worker = startTokenRefreshWorker(ctx, {
  signal: controller.signal,
  onCycleRecorded: alertsAfterEachCycle(ctx),
});
const monitor = startAlertMonitor(ctx, { signal: controller.signal });
process.stdout.write(`\n  ebay-connector is running: ${web.publicUrl}\n\n`);
