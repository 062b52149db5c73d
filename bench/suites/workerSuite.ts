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
/** eBay's own token endpoint answers in about this much (the second case of benchmark 1). */
const EBAY_LATENCY_MS = 300;
/**
 * Between production cycles (600 s apart) the pg pool has closed its idle connections (10 s) and
 * fetch its idle sockets (4 s): the warm runs wait this long first, so they start as those do.
 */
const IDLE_GAP_MS = 11_000;

export interface WorkerSuitePlan {
  throughput: boolean;
  cost: boolean;
  memory: boolean;
}

interface Setup {
  db: BenchDatabase;
  sim: SimProcess;
  /** Replaced by the cold runs (a fresh worker process each). */
  worker: WorkerProcess;
  keySpec: string;
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
      const warm = await throughput(setup, n1, nSerial, plan.throughput ? o.runs : 1, o);
      const mem = memory.stop();
      if (plan.memory) results.push(memoryResult(mem, n1));
      if (plan.throughput) {
        const cold = await coldRuns(setup, n1, o.runs, o);
        const slow = await ebayLatencyRuns(setup, o.quick ? 320 : 1_600, o.runs, o);
        results.push({ ...throughputResult(warm, cold, slow), durationMs: performance.now() - t0 });
      }
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
    const worker = await startWorkerProcess({ databaseUrl: db.url, keySpec, sim, concurrency: CONCURRENCY });
    o.log(`  seeded ${count} accounts in ${round((performance.now() - t0) / 1000, 1)} s`);
    return { db, sim, worker, keySpec };
  } catch (err) {
    await sim.stop();
    await db.close();
    throw err;
  }
}

interface TimedCycle extends CycleRun {
  /**
   * CPU ms per refresh by process, the rest of the machine's busy time (cores), and the cores
   * left idle on average (the machine's cores less everything busy), during the cycle.
   */
  cpu: { worker: number; postgres: number; sim: number; othersCores: number; idleCores: number };
  /** When the refreshes finished, from the cycle's start (ms): where a slow start shows. */
  ramp: Ramp;
}

interface Ramp {
  /** First refresh written: the counting and planning before the first claim, and one call. */
  firstMs: number;
  /** Refreshes written by 1 s and by 3 s after the cycle's start. */
  by1s: number;
  by3s: number;
  /** Refreshes per second from 3 s on (the steady rate). */
  steadyPerS: number;
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
  const ramp = await rampOf(s, run);
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
      idleCores:
        cpus().length -
        (budget.workerMs + budget.postgresMs + budget.simMs + budget.othersMs) / budget.wallMs,
    },
    ramp,
  };
}

async function rampOf(s: Setup, run: CycleRun): Promise<Ramp> {
  const { rows } = await s.db.pool.query<{
    first: number;
    by1: number;
    by3: number;
    last: number;
    n: number;
  }>(
    `select min(t)::float8 as first, count(*) filter (where t <= 1000)::int as by1,
            count(*) filter (where t <= 3000)::int as by3, max(t)::float8 as last, count(*)::int as n
     from (select extract(epoch from last_refresh_at) * 1000 - $1 as t
           from ebay_tokens where last_refresh_at >= to_timestamp($1 / 1000.0)) r`,
    [run.startedAtMs],
  );
  const r = rows[0]!;
  const steadySpan = (r.last - 3000) / 1000;
  return {
    firstMs: Math.round(r.first),
    by1s: r.by1,
    by3s: r.by3,
    steadyPerS: steadySpan > 0 ? Math.round((r.n - r.by3) / steadySpan) : 0,
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

interface WarmRuns {
  n: number;
  nSerial: number;
  parallel: TimedCycle[];
  serial: TimedCycle;
}

/** The warm case: the worker process's JIT and modules warm, each run after an idle gap. */
async function throughput(
  s: Setup,
  n: number,
  nSerial: number,
  runs: number,
  o: BenchOptions,
): Promise<WarmRuns> {
  await s.sim.setLatency(LATENCY_MS);
  const ideal = (n * LATENCY_MS) / CONCURRENCY;
  await timedCycle(s, Math.min(1_000, n), CONCURRENCY); // warm-up (JIT), not counted
  const parallel: TimedCycle[] = [];
  for (let i = 0; i < runs; i++) {
    await idleGap();
    const run = await timedCycle(s, n, CONCURRENCY);
    parallel.push(run);
    o.log(
      `  [1] warm: ${n} accounts, concurrency ${CONCURRENCY}: ${round(run.wallMs / 1000, 2)} s (ratio ${round(run.wallMs / ideal, 3)}; ${rampText(run)})`,
    );
  }
  const serial = await timedCycle(s, nSerial, 1);
  o.log(`  [1] ${nSerial} accounts, concurrency 1: ${round(serial.wallMs / 1000, 2)} s`);
  return { n, nSerial, parallel, serial };
}

/** The cold case: the first cycle of a freshly started worker process, one process per run. */
async function coldRuns(s: Setup, n: number, runs: number, o: BenchOptions): Promise<TimedCycle[]> {
  await s.sim.setLatency(LATENCY_MS);
  const ideal = (n * LATENCY_MS) / CONCURRENCY;
  const cold: TimedCycle[] = [];
  for (let i = 0; i < runs; i++) {
    await s.worker.stop();
    s.worker = await startWorkerProcess({
      databaseUrl: s.db.url,
      keySpec: s.keySpec,
      sim: s.sim,
      concurrency: CONCURRENCY,
    });
    const run = await timedCycle(s, n, CONCURRENCY);
    cold.push(run);
    o.log(
      `  [1] cold: ${n} accounts, first cycle of a new worker process: ${round(run.wallMs / 1000, 2)} s (ratio ${round(run.wallMs / ideal, 3)}; ${rampText(run)})`,
    );
  }
  return cold;
}

/** eBay's real latency: the machine is not the limit, the eBay slots are. Warm, after an idle gap. */
async function ebayLatencyRuns(s: Setup, n: number, runs: number, o: BenchOptions): Promise<TimedCycle[]> {
  await s.sim.setLatency(EBAY_LATENCY_MS);
  const ideal = (n * EBAY_LATENCY_MS) / CONCURRENCY;
  const out: TimedCycle[] = [];
  for (let i = 0; i < runs; i++) {
    await idleGap();
    const run = await timedCycle(s, n, CONCURRENCY);
    out.push(run);
    o.log(
      `  [1] ${EBAY_LATENCY_MS} ms: ${n} accounts, concurrency ${CONCURRENCY}: ${round(run.wallMs / 1000, 2)} s (ratio ${round(run.wallMs / ideal, 3)}; ${rampText(run)})`,
    );
  }
  await s.sim.setLatency(LATENCY_MS);
  return out;
}

function idleGap(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, IDLE_GAP_MS));
}

function rampText(run: TimedCycle): string {
  const r = run.ramp;
  return `first refresh at ${r.firstMs} ms, ${r.by1s} by 1 s, ${r.by3s} by 3 s, then ${r.steadyPerS}/s; ${round(run.cpu.idleCores, 2)} cores idle`;
}

function throughputResult(warm: WarmRuns, cold: TimedCycle[], slow: TimedCycle[]): BenchResult {
  const { n, nSerial, parallel, serial } = warm;
  const ideal = (n * LATENCY_MS) / CONCURRENCY;
  const wall = median(parallel.map((r) => r.wallMs));
  const ratio = wall / ideal;
  const coldWall = median(cold.map((r) => r.wallMs));
  const nSlow = slow[0]?.due ?? 0;
  const idealSlow = (nSlow * EBAY_LATENCY_MS) / CONCURRENCY;
  const slowWall = median(slow.map((r) => r.wallMs));
  const rateParallel = n / (wall / 1000);
  const rateSerial = nSerial / (serial.wallMs / 1000);
  const cpuShare = median(parallel.map((r) => (r.cpuUserMs + r.cpuSystemMs) / r.wallMs));
  const perRefreshOverhead = ((wall - ideal) * CONCURRENCY) / n;
  const idle = (runs: TimedCycle[]) => round(median(runs.map((r) => r.cpu.idleCores)), 2);
  const ramp = (runs: TimedCycle[]) =>
    `first refresh at ${median(runs.map((r) => r.ramp.firstMs))} ms, ${median(runs.map((r) => r.ramp.by1s))} done by 1 s and ${median(runs.map((r) => r.ramp.by3s))} by 3 s, then ${median(runs.map((r) => r.ramp.steadyPerS))}/s`;
  const runs = parallel.length;
  return {
    id: 1,
    title: `Cycle throughput: ${n} due accounts, sim latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY} (Postgres); cold; ${nSlow} at ${EBAY_LATENCY_MS} ms`,
    metrics: [
      metric(
        `warm: wall time / ideal ${round(ideal / 1000, 2)} s (median of ${runs})`,
        round(ratio, 3),
        '×',
        atMost(1.2),
      ),
      metric(
        `cold, first cycle of a new worker process: wall time / ideal (median of ${cold.length})`,
        round(coldWall / ideal, 3),
        '×',
        atMost(1.3),
      ),
      metric(
        `${nSlow} accounts at ${EBAY_LATENCY_MS} ms: wall time / ideal ${round(idealSlow / 1000, 2)} s (median of ${slow.length})`,
        round(slowWall / idealSlow, 3),
        '×',
      ),
      metric('CPU cores left idle, warm (median)', idle(parallel), 'cores'),
      metric('CPU cores left idle, cold (median)', idle(cold), 'cores'),
      metric(`CPU cores left idle at ${EBAY_LATENCY_MS} ms (median)`, idle(slow), 'cores'),
      metric('cycle wall time, warm (median)', round(wall / 1000, 2), 's'),
      metric('cycle wall time, cold (median)', round(coldWall / 1000, 2), 's'),
      metric(`throughput at concurrency ${CONCURRENCY}`, Math.round(rateParallel), 'refreshes/s'),
      metric(`throughput at concurrency 1 (${nSerial} accounts)`, round(rateSerial, 1), 'refreshes/s'),
      metric(`speed-up concurrency ${CONCURRENCY} vs 1`, round(rateParallel / rateSerial, 1), '×'),
    ],
    notes: [
      `Ideal = N × latency ÷ concurrency. Warm: the same worker process after a warm-up cycle, each run after ${IDLE_GAP_MS / 1000} s idle (the pool's idle connections and fetch's idle sockets closed, as between production cycles 600 s apart). Cold: a new worker process per run (started like roles/worker.ts), its first cycle. Each cycle's wall time starts when the cycle is asked for, so it includes the counting and planning.`,
      `Overhead beyond the simulated eBay latency (warm): ${round(perRefreshOverhead, 1)} ms per refresh per eBay slot (the HTTP client, and whatever of the claim, decryption and the one write statement does not overlap another refresh's eBay call: the worker runs two refreshes per slot).`,
      `Ramp (medians): warm ${ramp(parallel)}; cold ${ramp(cold)}; at ${EBAY_LATENCY_MS} ms ${ramp(slow)}.`,
      `Concurrency 1 costs ${round(serial.wallMs / nSerial, 1)} ms per refresh (${LATENCY_MS} ms of it simulated eBay latency).`,
      `Worker CPU during the warm concurrency-${CONCURRENCY} cycle: ${Math.round(cpuShare * 100)} % of one core. Cores left idle = the machine's ${cpus().length} less everything busy (/proc/stat) over the cycle.`,
      cpuNote(parallel, Math.round((CONCURRENCY * 1000) / LATENCY_MS), `concurrency ${CONCURRENCY}`),
    ],
    details: {
      n,
      nSerial,
      latencyMs: LATENCY_MS,
      concurrency: CONCURRENCY,
      idealMs: ideal,
      runs: parallel,
      cold,
      ebayLatency: { n: nSlow, latencyMs: EBAY_LATENCY_MS, idealMs: idealSlow, runs: slow },
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
