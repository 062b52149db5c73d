import { startAlertMonitor } from '../alerts/alertMonitor.ts';
import { loadEnvOrExit, openRuntimeOrExit } from '../app/runtime.ts';
import { onShutdownSignal } from '../app/shutdown.ts';
import { startWebServer } from '../app/webServer.ts';

/** `npm run start:web`: the API and the admin UI, against DATABASE_URL. Run any number behind a load balancer. */
const env = loadEnvOrExit();
const runtime = await openRuntimeOrExit(env, { role: 'web' });
const web = await startWebServer(runtime.ctx);
const controller = onShutdownSignal(runtime.ctx.logger, async () => {
  await monitor?.done;
  await web.close();
  await runtime.close();
});
// A dead worker cannot report itself stale: the web process watches the loops (when alerts are configured).
const monitor = startAlertMonitor(runtime.ctx, { signal: controller.signal });
