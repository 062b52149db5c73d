import type { HttpDeps, ZodApp } from '../types.ts';
import { registerListAccounts } from './accounts/listAccounts.ts';
import { registerManualRefresh } from './accounts/manualRefresh.ts';
import { registerRefreshLog } from './accounts/refreshLog.ts';
import { registerTokenInfo } from './accounts/tokenInfo.ts';
import { registerLogin } from './auth/login.ts';
import { registerLogout } from './auth/logout.ts';
import { registerMe } from './auth/me.ts';
import { registerConnectStart } from './connect/connectStart.ts';
import { registerOauthCallback } from './connect/oauthCallback.ts';
import { registerHealthz } from './system/healthz.ts';
import { registerMetrics } from './system/metrics.ts';
import { registerOpenApiDocs } from './system/openApiDocs.ts';
import { registerRefreshDebug } from './tokens/refreshDebug.ts';
import { registerTerminalLogs } from './tokens/terminalLogs.ts';
import { registerTerminalStream } from './tokens/terminalStream.ts';
import { registerTokenDoctor } from './tokens/tokenDoctor.ts';
import { registerTokenLogs } from './tokens/tokenLogs.ts';
import { registerTokenRepair } from './tokens/tokenRepair.ts';
import { registerTokenStatus } from './tokens/tokenStatus.ts';
import { registerManageUsers } from './users/manageUsers.ts';
import { registerPasswordRoutes } from './users/passwordRoutes.ts';
import { registerLoopStatus } from './workers/loopStatus.ts';

/** One route per endpoint of packages/contracts, one module each (system.integration.test.ts checks the two match). */
export function registerRoutes(app: ZodApp, deps: HttpDeps): void {
  registerHealthz(app, deps);
  registerMetrics(app, deps);
  registerOpenApiDocs(app);
  registerLogin(app, deps);
  registerLogout(app, deps);
  registerMe(app);
  registerLoopStatus(app, deps);
  registerTokenStatus(app, deps);
  registerTokenDoctor(app, deps);
  registerTokenRepair(app, deps);
  registerTokenLogs(app, deps);
  registerTerminalLogs(app, deps);
  registerTerminalStream(app, deps);
  registerRefreshDebug(app, deps);
  registerListAccounts(app, deps);
  registerRefreshLog(app, deps);
  registerTokenInfo(app, deps);
  registerManualRefresh(app, deps);
  registerConnectStart(app, deps);
  registerOauthCallback(app, deps);
  registerManageUsers(app, deps);
  registerPasswordRoutes(app, deps);
}
