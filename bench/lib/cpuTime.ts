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
