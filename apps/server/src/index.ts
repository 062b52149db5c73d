/**
 * `@ebay-connector/server`: what a program outside this package (the benchmarks, the
 * reliability suite) builds the service's parts from in its own process: the configuration, the
 * key ring, the database, the HTTP app, and the domain calls that set up users and accounts.
 * The worker is `@ebay-connector/server/worker`.
 */
export { AlertDispatcher } from './alerts/alertDispatcher.ts';
export { buildAlertEvent } from './alerts/alertEvents.ts';
export { createApiKey } from './auth/apiKeys.ts';
export { createUser } from './auth/users.ts';
export { DEFAULT_SCOPES, parseEnv } from './config/env.ts';
export type { AppContext } from './context.ts';
export { createTokenCipher, generateKeySpec, parseKeyRing, type TokenCipher } from './crypto/tokenCipher.ts';
export { type Database, type Db, migrateDatabase, openDatabase, queryRows } from './db/client.ts';
export { anyRow, countRow, dbDate, dbDateOrNull, dbInt, dbJson, dbNumber, dbTextArray } from './db/rows.ts';
export { buildHttpApp } from './http/app.ts';
export { storeNewGrant } from './tokens/connect/storeGrant.ts';
export { refreshAccount } from './tokens/refresh/refreshAccount.ts';
