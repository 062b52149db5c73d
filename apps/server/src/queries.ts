/**
 * `@ebay-connector/server/queries`: the statements and tables the benchmarks run, seed around
 * in bulk and EXPLAIN on their own (bench/suites/queries.ts, bench/lib/seed*.ts): internals,
 * exported only so that a benchmark measures the very SQL the service runs.
 */
export { ebayAccounts } from './db/schema.ts';
export { MAX_JITTER_SECONDS, toTextArray } from './tokens/connect/storeGrant.ts';
export { claimDueAccounts } from './tokens/sql/claimDue.ts';
export { countActiveAccounts, countDueAccounts } from './tokens/sql/counts.ts';
export { releaseLeases } from './tokens/sql/leases.ts';
export { tokenStateSql } from './tokens/sql/tokenState.ts';
export { countTokenStates } from './tokens/status/statusCounts.ts';
