/**
 * `@ebay-connector/server/worker`: what a worker process is made of, and nothing more — a
 * benchmark's worker child (bench/children/workerChild.ts) loads the same modules as
 * `roles/worker.ts`, so its memory and CPU time are the worker's.
 */
export { loadEnvOrExit, openRuntime } from './app/runtime.ts';
export { createTokenRefreshWorker } from './workers/tokenRefreshWorker.ts';
