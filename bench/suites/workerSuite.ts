import { cpus } from 'node:os';
import path from 'node:path';
import { createTokenCipher, generateKeySpec, parseKeyRing } from '@ebay-connector/server';
import { type BenchDatabase, createBenchDatabase } from '../lib/benchDb.ts';
import { cpuBudget } from '../lib/cpuTime.ts';
import { sampleMemory } from '../lib/procStatus.ts';
import { summarizeProfile } from '../lib/profile.ts';
import { atMost, type BenchOptions, type BenchResult, metric } from '../lib/result.ts';
import { resetDueAccounts, seedOrgs, seedRefreshableAccounts } from '../lib/seed.ts';
import { type SimProcess, startSimProcess } from '../lib/simProcess.ts';
import { median, round } from '../lib/stats.ts';
import { type CycleRun, startWorkerProcess, type WorkerProcess } from '../lib/workerProcess.ts';

/**
 * Benchmarks 1 (cycle throughput vs the ideal), 2 (cost per refresh) and 4 (worker memory):
 * one PostgreSQL database, the simulator in one child process and the worker (started like
 * `roles/worker.ts`) in another, so the worker's CPU time and RSS are its own.
 */

const LATENCY_MS = 50;
const CONCURRENCY = 32;

export interface WorkerSuitePlan {
  throughput: boolean;
  cost: boolean;
  memory: boolean;
}

interface Setup {
  db: BenchDatabase;
  sim: SimProcess;
  worker: WorkerProcess;
}

export async function runWorkerSuite(plan: WorkerSuitePlan, o: BenchOptions): Promise<BenchResult[]> {
  const n1 = o.quick ? 1_000 : 10_000;
  const nSerial = o.quick ? 40 : 300;
  const n2 = o.quick ? 1_000 : 5_000;
  const total = Math.max(plan.throughput || plan.memory ? n1 : 0, plan.cost ? n2 : 0);
  const setup = await prepare(total, o);
  const results: BenchResult[] = [];
  try {
    const memory = sampleMemory(setup.worker.pid);
    if (plan.throughput || plan.memory) {
      const t0 = performance.now();
      const r = await throughput(setup, n1, nSerial, plan.throughput ? o.runs : 1, o);
      const mem = memory.stop();
      if (plan.throughput) results.push({ ...r, durationMs: performance.now() - t0 });
      if (plan.memory) results.push(memoryResult(mem, n1));
    }
    if (plan.cost) {
      const t0 = performance.now();
      results.push({ ...(await cost(setup, n2, o)), durationMs: performance.now() - t0 });
    }
  } finally {
    await setup.worker.stop();
    await setup.sim.stop();
    await setup.db.close();
  }
  return results;
}

async function prepare(count: number, o: BenchOptions): Promise<Setup> {
  const t0 = performance.now();
  const sim = await startSimProcess();
  const db = await createBenchDatabase('worker');
  try {
    const keySpec = generateKeySpec('bench');
    const cipher = createTokenCipher(parseKeyRing(keySpec));
    const grants = await sim.issueGrants(count, 'b');
    const orgIds = await seedOrgs(
      db.pool,
      Array.from({ length: 10 }, (_, i) => `bench-org-${i}`),
    );
    const later = new Date(Date.now() + 7_200_000);
    await seedRefreshableAccounts(
      db.pool,
      cipher,
      grants.map((grant, i) => ({ grant, orgId: orgIds[i % orgIds.length]!, accessExpiresAt: later })),
    );
    const worker = await startWorkerProcess({ databaseUrl: db.url, keySpec, sim });
    o.log(`  seeded ${count} accounts in ${round((performance.now() - t0) / 1000, 1)} s`);
    return { db, sim, worker };
  } catch (err) {
    await sim.stop();
    await db.close();
    throw err;
  }
}

interface TimedCycle extends CycleRun {
  /** CPU ms per refresh by process, and the rest of the machine's busy time, during the cycle. */
  cpu: { worker: number; postgres: number; sim: number; othersCores: number };
}

async function timedCycle(
  s: Setup,
  due: number,
  concurrency: number,
  profilePath?: string,
): Promise<TimedCycle> {
  await resetDueAccounts(s.db.pool, due);
  const budget = await cpuBudget(
    { workerPid: s.worker.pid, simPid: s.sim.child.pid, pool: s.db.pool, database: s.db.name },
    () => s.worker.runCycle(concurrency, profilePath),
  );
  const run = budget.result;
  if (run.refreshed !== due) {
    throw new Error(
      `cycle refreshed ${run.refreshed} of ${due} due accounts (failed ${run.failed}: ${JSON.stringify(run.failedByCode)}, skipped ${run.skipped})`,
    );
  }
  return {
    ...run,
    cpu: {
      worker: budget.workerMs / due,
      postgres: budget.postgresMs / due,
      sim: budget.simMs / due,
      othersCores: budget.othersMs / budget.wallMs,
    },
  };
}

function cpuNote(runs: readonly TimedCycle[], targetRate: number, label: string): string {
  const w = median(runs.map((r) => r.cpu.worker));
  const p = median(runs.map((r) => r.cpu.postgres));
  const sim = median(runs.map((r) => r.cpu.sim));
  const others = median(runs.map((r) => r.cpu.othersCores));
  const app = w + p;
  return `CPU per refresh (${label}, /proc): worker ${round(w, 2)} ms + PostgreSQL backends ${round(p, 2)} ms = ${round(app, 2)} ms, plus the simulator ${round(sim, 2)} ms. ${targetRate} refreshes/s would need ${round(((app + sim) * targetRate) / 1000, 2)} cores of this machine's ${cpus().length}; other processes on the machine used ${round(others, 2)} cores on average meanwhile.`;
}

async function throughput(
  s: Setup,
  n: number,
  nSerial: number,
  runs: number,
  o: BenchOptions,
): Promise<BenchResult> {
  await s.sim.setLatency(LATENCY_MS);
  const ideal = (n * LATENCY_MS) / CONCURRENCY;
  const parallel: TimedCycle[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await timedCycle(s, n, CONCURRENCY);
    parallel.push(run);
    o.log(
      `  [1] ${n} accounts, concurrency ${CONCURRENCY}: ${round(run.wallMs / 1000, 2)} s (ratio ${round(run.wallMs / ideal, 3)})`,
    );
  }
  const serial = await timedCycle(s, nSerial, 1);
  o.log(`  [1] ${nSerial} accounts, concurrency 1: ${round(serial.wallMs / 1000, 2)} s`);
  const wall = median(parallel.map((r) => r.wallMs));
  const ratio = wall / ideal;
  const rateParallel = n / (wall / 1000);
  const rateSerial = nSerial / (serial.wallMs / 1000);
  const cpuShare = median(parallel.map((r) => (r.cpuUserMs + r.cpuSystemMs) / r.wallMs));
  const perRefreshOverhead = ((wall - ideal) * CONCURRENCY) / n;
  return {
    id: 1,
    title: `Cycle throughput: ${n} due accounts, sim latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY} (Postgres)`,
    metrics: [
      metric(
        `wall time / ideal ${round(ideal / 1000, 2)} s (median of ${runs})`,
        round(ratio, 3),
        '×',
        atMost(1.3),
      ),
      metric('cycle wall time (median)', round(wall / 1000, 2), 's'),
      metric(`throughput at concurrency ${CONCURRENCY}`, Math.round(rateParallel), 'refreshes/s'),
      metric(`throughput at concurrency 1 (${nSerial} accounts)`, round(rateSerial, 1), 'refreshes/s'),
      metric(`speed-up concurrency ${CONCURRENCY} vs 1`, round(rateParallel / rateSerial, 1), '×'),
    ],
    notes: [
      `Ideal = N × latency ÷ concurrency. Overhead beyond the simulated eBay latency: ${round(perRefreshOverhead, 1)} ms per refresh per eBay slot (the HTTP client, and whatever of the claim, decryption and the one write statement does not overlap another refresh's eBay call: the worker runs two refreshes per slot).`,
      `Concurrency 1 costs ${round(serial.wallMs / nSerial, 1)} ms per refresh (${LATENCY_MS} ms of it simulated eBay latency).`,
      `Worker CPU during the concurrency-${CONCURRENCY} cycle: ${Math.round(cpuShare * 100)} % of one core.`,
      cpuNote(parallel, Math.round((CONCURRENCY * 1000) / LATENCY_MS), `concurrency ${CONCURRENCY}`),
    ],
    details: {
      n,
      nSerial,
      latencyMs: LATENCY_MS,
      concurrency: CONCURRENCY,
      idealMs: ideal,
      runs: parallel,
      serial,
    },
  };
}

function memoryResult(
  mem: { peakHwmMb: number; maxSampledRssMb: number; samples: { t: number; rssMb: number }[] },
  n: number,
): BenchResult {
  return {
    id: 4,
    title: `Worker memory: peak RSS of the worker process during benchmark 1 (${n} accounts)`,
    metrics: [
      metric('peak RSS (VmHWM)', round(mem.peakHwmMb, 1), 'MB', atMost(250)),
      metric('highest sampled RSS (100 ms samples)', round(mem.maxSampledRssMb, 1), 'MB'),
    ],
    notes: [
      'VmHWM is the kernel’s high-water mark of the worker process since it started (tsx start-up and module loading included).',
    ],
    details: { samples: mem.samples.filter((_, i) => i % 10 === 0) },
  };
}

async function cost(s: Setup, n: number, o: BenchOptions): Promise<BenchResult> {
  await s.sim.setLatency(0);
  await timedCycle(s, Math.min(500, n), CONCURRENCY); // warm-up (JIT, connections), not counted
  const runs: TimedCycle[] = [];
  for (let i = 0; i < o.runs; i++) {
    const run = await timedCycle(s, n, CONCURRENCY);
    runs.push(run);
    const cpu = (run.cpuUserMs + run.cpuSystemMs) / run.refreshed;
    o.log(
      `  [2] ${n} accounts, latency 0: ${Math.round(run.refreshed / (run.wallMs / 1000))}/s, ${round(cpu, 3)} ms CPU/refresh`,
    );
  }
  const cpuPer = median(runs.map((r) => (r.cpuUserMs + r.cpuSystemMs) / r.refreshed));
  const userPer = median(runs.map((r) => r.cpuUserMs / r.refreshed));
  const rate = median(runs.map((r) => r.refreshed / (r.wallMs / 1000)));
  const notes = [
    `Worker process CPU (user + system, process.cpuUsage) over the whole cycle ÷ refreshes; the simulator runs in another process. User time alone: ${round(userPer, 3)} ms.`,
    cpuNote(runs, Math.round(rate), 'latency 0'),
  ];
  let profile: ReturnType<typeof summarizeProfile> | undefined;
  if (o.profile || cpuPer > 2) {
    const file = path.join(o.resultsDir, 'worker-cost.cpuprofile');
    const run = await timedCycle(s, n, CONCURRENCY, file);
    profile = summarizeProfile(file, run.refreshed);
    notes.push(
      `Profile (${path.relative(process.cwd(), file)}), CPU ms per refresh by component: ${profile.byCategory
        .slice(0, 8)
        .map((c) => `${c.category} ${round(c.ms, 3)}`)
        .join(', ')}.`,
    );
  }
  return {
    id: 2,
    title: `Cost per refresh: ${n} accounts, sim latency 0, concurrency ${CONCURRENCY} (Postgres)`,
    metrics: [
      metric(`worker CPU per refresh (median of ${o.runs})`, round(cpuPer, 3), 'ms', atMost(2)),
      metric('refreshes per second (median)', Math.round(rate), '/s'),
    ],
    notes,
    details: { n, runs, profile },
  };
}
