import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dropLiveDatabases } from './lib/benchDb.ts';
import { describeMachine, finishMachine } from './lib/machine.ts';
import { appendToPerformanceDoc, printTable, type RunRecord, writeLatestJson } from './lib/report.ts';
import type { BenchOptions, BenchResult } from './lib/result.ts';
import { runEmbeddedSuite } from './suites/embedded.ts';
import { runPlanSuite } from './suites/plan.ts';
import { runQueriesSuite } from './suites/queries.ts';
import { runQuotaSuite } from './suites/quota.ts';
import { runServiceSuite } from './suites/service.ts';
import { runUiSuite } from './suites/ui.ts';
import { runWorkerSuite } from './suites/workerSuite.ts';

/**
 * `npm run bench [-- --only 1,2] [--quick] [--runs N] [--profile] [--no-record]`
 * Runs the benchmarks of issues 7, 11 and 12, prints the results table, writes bench/results/latest.json
 * and (full runs) appends a dated summary to docs/PERFORMANCE.md. See docs/PERFORMANCE.md.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TITLES: Record<number, string> = {
  1: 'cycle throughput vs ideal',
  2: 'cost per refresh',
  3: 'queries at scale',
  4: 'worker memory',
  5: 'quota per account per day',
  6: 'embedded mode (PGlite)',
  7: 'UI terminal with 5,000 entries',
  8: 'service API: access tokens and the proxy',
  9: 'refresh plan: 20,000 accounts on one keyset, a simulated day',
  10: 'refresh storm: the worker down 6 simulated hours',
};

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    profile: { type: 'boolean', default: false },
    record: { type: 'boolean' },
    'no-record': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`npm run bench -- [--only 1,2,...] [--quick] [--runs N] [--profile] [--record | --no-record]
  ${Object.entries(TITLES)
    .map(([id, t]) => `${id}: ${t}`)
    .join('\n  ')}
  --quick      smaller N, one run each (smoke test); not recorded in docs/PERFORMANCE.md unless --record
  --runs N     timed repetitions where a median is quoted (default 3; quick 1)
  --profile    write CPU profiles of the worker (bench/results/*.cpuprofile) even when goals are met`);
  process.exit(0);
}

const only = (values.only ?? Object.keys(TITLES).join(','))
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => TITLES[n]);
if (only.length === 0) {
  console.error(`--only takes benchmark numbers 1-10, got "${values.only}"`);
  process.exit(2);
}
const resultsDir = path.join(ROOT, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const options: BenchOptions = {
  quick: values.quick,
  runs: Number(values.runs ?? (values.quick ? 1 : 3)),
  profile: values.profile,
  resultsDir,
  log: (line) => console.log(line),
};
const record = values['no-record'] ? false : (values.record ?? !values.quick);

process.once('SIGINT', () => {
  console.error('\ninterrupted: dropping benchmark databases');
  void dropLiveDatabases().finally(() => process.exit(130));
});

const startedAt = new Date();
const t0 = performance.now();
const machine = await describeMachine();
console.log(
  `ebay-connector benchmarks ${only.join(',')} (${options.quick ? 'quick' : 'full'}), ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverageAtStart.join('/')}`,
);
const results: BenchResult[] = [];
const has = (id: number) => only.includes(id);

async function suite(ids: number[], title: string, fn: () => Promise<BenchResult[]>): Promise<void> {
  const wanted = ids.filter(has);
  if (wanted.length === 0) return;
  console.log(`\n== ${wanted.map((id) => `${id} (${TITLES[id]})`).join(', ')}`);
  const t0 = performance.now();
  try {
    results.push(...(await fn()));
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`${title} failed: ${message}`);
    for (const id of wanted) results.push({ id, title: TITLES[id]!, metrics: [], notes: [], error: message });
  }
  console.log(`   (${Math.round((performance.now() - t0) / 1000)} s)`);
}

await suite([1, 2, 4], 'worker benchmarks', () =>
  runWorkerSuite({ throughput: has(1), cost: has(2), memory: has(4) }, options),
);
await suite([6], 'embedded benchmark', async () => [await runEmbeddedSuite(options)]);
await suite([5], 'quota benchmark', async () => [await runQuotaSuite(options)]);
await suite([3], 'queries benchmark', async () => [await runQueriesSuite(options)]);
await suite([7], 'UI benchmark', async () => [await runUiSuite(options, ROOT)]);
await suite([8], 'service API benchmark', async () => [await runServiceSuite(options)]);
await suite([9, 10], 'refresh plan benchmarks', () => runPlanSuite(options, { day: has(9), storm: has(10) }));
await dropLiveDatabases();

const run: RunRecord = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  durationS: Math.round((performance.now() - t0) / 1000),
  mode: options.quick ? 'quick' : 'full',
  only,
  runs: options.runs,
  machine: finishMachine(machine),
  results,
};
console.log('');
printTable(results, (line) => console.log(line));
writeLatestJson(path.join(resultsDir, 'latest.json'), run);
console.log(`\nwrote ${path.relative(ROOT, path.join(resultsDir, 'latest.json'))}`);
if (record) {
  appendToPerformanceDoc(path.join(ROOT, 'docs/PERFORMANCE.md'), run);
  console.log('appended the results to docs/PERFORMANCE.md');
}
process.exit(0);
