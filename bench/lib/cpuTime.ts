import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** CPU time (user + system, ms) of processes from /proc/<pid>/stat, for a CPU budget across processes. */

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** The server processes of one database's connections (PostgreSQL runs one process per connection). */
export async function backendPids(pool: pg.Pool, database: string): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [database],
  );
  return rows.map((r) => r.pid);
}

/** CPU used by a set of processes between `start()` and `stop()`; pids can be added while running. */
export class CpuMeter {
  private readonly start = new Map<number, number>();
  private readonly last = new Map<number, number>();

  track(pids: readonly number[]): void {
    for (const pid of pids) {
      const cpu = processCpuMs(pid);
      if (cpu === null) continue;
      if (!this.start.has(pid)) this.start.set(pid, cpu);
      this.last.set(pid, cpu);
    }
  }

  totalMs(): number {
    let total = 0;
    for (const [pid, t0] of this.start) total += (this.last.get(pid) ?? t0) - t0;
    return total;
  }
}

/** Busy CPU time of the whole machine (all cores, ms) from /proc/stat. */
export function machineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    return (total - idle) * TICK_MS;
  } catch {
    return null;
  }
}

/** Where the CPU went while `fn` ran: the worker, PostgreSQL's backends, the simulator, and everything else. */
export async function cpuBudget<T>(
  opts: { workerPid: number; simPid: number; pool: pg.Pool; database: string },
  fn: () => Promise<T>,
): Promise<{
  result: T;
  workerMs: number;
  postgresMs: number;
  simMs: number;
  othersMs: number;
  wallMs: number;
}> {
  const worker = new CpuMeter();
  const sim = new CpuMeter();
  const postgres = new CpuMeter();
  const track = async () => {
    worker.track([opts.workerPid]);
    sim.track([opts.simPid]);
    postgres.track(await backendPids(opts.pool, opts.database));
  };
  await track();
  const busy0 = machineBusyMs();
  const t0 = performance.now();
  const timer = setInterval(() => void track().catch(() => {}), 250);
  try {
    const result = await fn();
    clearInterval(timer);
    await track();
    const wallMs = performance.now() - t0;
    const busy = (machineBusyMs() ?? 0) - (busy0 ?? 0);
    const ours = worker.totalMs() + postgres.totalMs() + sim.totalMs();
    return {
      result,
      workerMs: worker.totalMs(),
      postgresMs: postgres.totalMs(),
      simMs: sim.totalMs(),
      othersMs: Math.max(0, busy - ours),
      wallMs,
    };
  } finally {
    clearInterval(timer);
  }
}
