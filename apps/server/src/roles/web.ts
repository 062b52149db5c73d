import { loadEnvOrExit, openRuntime } from '../app/runtime.ts';
import { onShutdownSignal } from '../app/shutdown.ts';
import { startWebServer } from '../app/webServer.ts';

/** `npm run start:web`: the API and the admin UI, against DATABASE_URL. Run any number behind a load balancer. */
const env = loadEnvOrExit();
const runtime = await openRuntime(env, { role: 'web' });
const web = await startWebServer(runtime.ctx);
onShutdownSignal(runtime.ctx.logger, async () => {
  await web.close();
  await runtime.close();
});
