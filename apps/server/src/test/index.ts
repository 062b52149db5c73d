/**
 * `@ebay-connector/server/test-support`: what the benchmarks, the reliability suite and the
 * browser tests use of the server's test support. The server's own tests import the files.
 */

export { controlSocketPath } from '../cli/controlChannel.ts';
export { createTestContext, type TestContext } from './appContext.ts';
export { captureLogger } from './captureLogger.ts';
export { createTestDatabase, describeEachDb, type TestDatabase, withDatabaseName } from './db.ts';
export { buildAccount, buildOrg, buildUser, readTokenRow } from './factories.ts';
export { freePort } from './freePort.ts';
export { type NodeProcess, type NodeProcessOptions, startNodeProcess } from './nodeProcess.ts';
export { ROLE_SCRIPTS, spawnWorker, startRole, type WorkerChild } from './roles.ts';
export { simulatedEbay, simulatorEnv } from './simulator.ts';
export { openSse, type SseConnection, type SseEvent } from './sseClient.ts';
export { startTcpProxy, type TcpProxy } from './tcpProxy.ts';
export { waitFor } from './waitFor.ts';
export { startWebhookReceiver, type WebhookReceiver } from './webhookReceiver.ts';
export {
  buildDueAccounts,
  cycleLogEntries,
  expectTokensIntact,
  readTokenRows,
} from './workerFixtures.ts';
