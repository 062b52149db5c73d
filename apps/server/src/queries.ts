/**
 * `@ebay-connector/server/queries`: the statements and tables the benchmarks run, seed around
 * in bulk and EXPLAIN on their own (bench/suites/queries.ts, bench/lib/seed*.ts): internals,
 * exported only so that a benchmark measures the very SQL the service runs.
 */
export { ebayAccounts } from './db/schema.ts';
export { MAX_JITTER_SECONDS, toTextArray } from './tokens/connect/storeGrant.ts';
export { countTokenStates } from './tokens/status/statusCounts.ts';
export { tokenStateSql } from './tokens/status/statusQuery.ts';
export { claimDueAccounts, countActiveAccounts, countDueAccounts } from './workers/claimDue.ts';
export { releaseLeases } from './workers/leases.ts';
