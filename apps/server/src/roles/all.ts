import { endpoints } from '@ebay-connector/contracts';
import { startAlertMonitor } from '../alerts/alertMonitor.ts';
import { alertsAfterEachCycle } from '../alerts/detectAndSendAlerts.ts';
import {
  acquireDataDirLock,
  type DataDirLock,
  DataDirLockedError,
  type LockInfo,
} from '../app/dataDirLock.ts';
import { firstStart } from '../app/firstStart.ts';
import { loadEnvOrExit, openRuntimeOrExit } from '../app/runtime.ts';
import { onShutdownSignal } from '../app/shutdown.ts';
import { saveSimState } from '../app/simState.ts';
import { startWebServer } from '../app/webServer.ts';
import { startControlChannel } from '../cli/controlChannel.ts';
import { runCli } from '../cli.ts';
import { startTokenRefreshWorker } from '../workers/tokenRefreshWorker.ts';

/**
 * `npm start`: the embedded default. Web and worker in one process, PGlite in DATA_DIR,
 * and (without EBAY_* credentials) the built-in eBay simulator with demo accounts.
 */
const env = loadEnvOrExit();
// Embedded mode: one process owns DATA_DIR (app/dataDirLock.ts); a second start refuses.
let lock: DataDirLock | undefined;
let stale: LockInfo | undefined;
if (!env.DATABASE_URL) {
  try {
    lock = acquireDataDirLock(env.DATA_DIR, {
      role: 'server',
      onStale: (info) => {
        stale = info;
      },
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
const runtime = await openRuntimeOrExit(env, { role: 'all' });
const { ctx, sim } = runtime;
if (stale)
  ctx.logger.warn(
    { stale_pid: stale.pid, started_at: stale.started_at },
    'Took over a stale DATA_DIR lock (its process is gone)',
  );
await firstStart(ctx, sim);
const web = await startWebServer(ctx);
lock?.update({ url: web.publicUrl });
const control = lock
  ? await startControlChannel(
      env.DATA_DIR,
      (argv, io) => runCli(argv, io, process.env, { database: runtime.database }),
      ctx.logger,
    )
  : undefined;
sim?.control.setRedirectUrls(`${web.publicUrl}${endpoints.oauthCallback.path}`);
const persistSim = sim && setInterval(() => saveSimState(env.DATA_DIR, sim), 5_000);
persistSim?.unref();
const controller = onShutdownSignal(ctx.logger, async () => {
  if (persistSim) clearInterval(persistSim);
  await Promise.all([worker.done, monitor?.done]);
  await control?.close();
  await web.close();
  await runtime.close();
  lock?.release();
});
const worker = startTokenRefreshWorker(ctx, {
  signal: controller.signal,
  onCycleRecorded: alertsAfterEachCycle(ctx),
});
const monitor = startAlertMonitor(ctx, { signal: controller.signal });
process.stdout.write(`\n  ebay-connector is running: ${web.publicUrl}\n\n`);
