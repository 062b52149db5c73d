import type { EbaySim } from '@ebay-connector/ebay-sim';
import { type Database, migrateDatabase, openDatabase } from '@ebay-connector/server';
import { createTestContext } from '@ebay-connector/server/test-support';
import { createTokenRefreshWorker } from '@ebay-connector/server/worker';
import { createBenchDatabase } from '../lib/benchDb.ts';
import { type BenchOptions, type BenchResult, metric } from '../lib/result.ts';
import { resetDueAccounts, seedOrgs, seedRefreshableAccounts } from '../lib/seed.ts';
import { type SimGrant, type SimProcess, startSimProcess } from '../lib/simProcess.ts';
import { sqlClientOf } from '../lib/sqlClient.ts';
import { median, round } from '../lib/stats.ts';

/**
 * Benchmark 6: benchmark 1's cycle at 1,000 accounts in embedded mode (PGlite, worker in the
 * same process as everything else, like `npm start`), and the same cycle on PostgreSQL in the
 * same process model in the same run, so the two ratios compare like with like.
 */

const LATENCY_MS = 50;
const CONCURRENCY = 32;

export async function runEmbeddedSuite(o: BenchOptions): Promise<BenchResult> {
  const n = o.quick ? 300 : 1_000;
  const ideal = (n * LATENCY_MS) / CONCURRENCY;
  const sim = await startSimProcess();
  try {
    await sim.setLatency(LATENCY_MS);
    const grants = await sim.issueGrants(n * 2, 'e');
    const pglite = await openDatabase({ dataDir: 'memory://' });
    await migrateDatabase(pglite);
    const lite = await measure(pglite, sim, grants.slice(0, n), o, 'PGlite');
    await pglite.close();
    const postgres = await createBenchDatabase('embedded');
    let pg: number[];
    try {
      pg = await measure(postgres, sim, grants.slice(n), o, 'PostgreSQL');
    } finally {
      await postgres.close();
    }
    const liteRatio = median(lite) / ideal;
    const pgRatio = median(pg) / ideal;
    return {
      id: 6,
      title: `Embedded mode: ${n} due accounts, sim latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}, worker in-process`,
      metrics: [
        metric(
          `PGlite: wall time / ideal ${round(ideal / 1000, 2)} s (median of ${o.runs})`,
          round(liteRatio, 3),
          '×',
        ),
        metric('PostgreSQL, same process model: wall time / ideal', round(pgRatio, 3), '×'),
        metric('PGlite throughput', Math.round(n / (median(lite) / 1000)), 'refreshes/s'),
        metric(
          'PostgreSQL throughput, same process model',
          Math.round(n / (median(pg) / 1000)),
          'refreshes/s',
        ),
      ],
      notes: [
        `PGlite is one single-threaded PostgreSQL compiled to WASM inside the Node process: every statement of the ${CONCURRENCY} concurrent refreshes is serialised through it, so the cycle takes ${round(liteRatio / pgRatio, 2)}× as long as on PostgreSQL in the same process model.`,
        `What that means for sizing: steady state needs only N × 13 refreshes a day (1,000 accounts: 0.15/s), far below either figure; the limit that matters is catching up after downtime, when every account is due at once and should be refreshed within one ${600} s interval. At the measured ${Math.round(n / (median(lite) / 1000))} refreshes/s that is about ${thousands((n / (median(lite) / 1000)) * 600)} accounts on PGlite (PostgreSQL here: ${thousands((n / (median(pg) / 1000)) * 600)}, and it scales out with worker replicas, which embedded mode cannot). Move to PostgreSQL well before that, or as soon as more than one process is needed.`,
      ],
      details: { n, idealMs: ideal, pgliteRunsMs: lite, postgresRunsMs: pg },
    };
  } finally {
    await sim.stop();
  }
}

async function measure(
  database: Database,
  sim: SimProcess,
  grants: SimGrant[],
  o: BenchOptions,
  label: string,
) {
  const simHandle = { ...sim, control: undefined, close: async () => {} } as unknown as EbaySim;
  const ctx = createTestContext(database, simHandle);
  const client = sqlClientOf(database);
  const [orgId] = await seedOrgs(client, ['embedded-org']);
  const later = new Date(Date.now() + 7_200_000);
  await seedRefreshableAccounts(
    client,
    ctx.cipher,
    grants.map((grant) => ({ grant, orgId: orgId!, accessExpiresAt: later })),
  );
  const worker = createTokenRefreshWorker({ concurrency: CONCURRENCY });
  const times: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    await resetDueAccounts(client, grants.length);
    const t0 = performance.now();
    const summary = await worker.runCycle(ctx);
    const ms = performance.now() - t0;
    if (summary.refreshed !== grants.length) {
      throw new Error(
        `${label}: refreshed ${summary.refreshed} of ${grants.length} (${JSON.stringify(summary.failed_by_code)})`,
      );
    }
    times.push(ms);
    o.log(`  [6] ${label}: ${grants.length} accounts in ${round(ms / 1000, 2)} s`);
  }
  return times;
}

function thousands(value: number): string {
  return (Math.floor(value / 1000) * 1000).toLocaleString('en');
}
