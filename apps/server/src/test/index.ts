/**
 * `@ebay-connector/server/test-support`: what the benchmarks, the reliability suite and the
 * browser tests use of the server's test support. The server's own tests import the files.
 */
export { createTestContext } from './appContext.ts';
export { captureLogger } from './captureLogger.ts';
export { createTestDatabase, describeEachDb, type TestDatabase, withDatabaseName } from './db.ts';
export { buildAccount, buildOrg, buildUser } from './factories.ts';
export { freePort } from './freePort.ts';
export { type NodeProcess, type NodeProcessOptions, startNodeProcess } from './nodeProcess.ts';
export { ROLE_SCRIPTS, startRole } from './roles.ts';
export { simulatedEbay, simulatorEnv } from './simulator.ts';
export { startTcpProxy, type TcpProxy } from './tcpProxy.ts';
export { waitFor } from './waitFor.ts';
export { startWebhookReceiver, type WebhookReceiver } from './webhookReceiver.ts';
