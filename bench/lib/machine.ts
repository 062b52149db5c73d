import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { postgresVersion } from './benchDb.ts';

/** The machine a run was measured on, and how busy it was (the machines are shared). */
export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  freeMemoryGb: number;
  node: string;
  postgres: string;
  os: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  /** Linux PSI: share of time some runnable task waited for a CPU (avg over 300 s), at the end. */
  cpuPressureAvg300AtEnd?: number | null;
}

export async function describeMachine(): Promise<Machine> {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: round1(totalmem() / 2 ** 30),
    freeMemoryGb: round1(freemem() / 2 ** 30),
    node: process.version,
    postgres: await postgresVersion(),
    os: `${process.platform} ${readRelease()}`,
    loadAverageAtStart: loadavg().map(round1),
  };
}

export function finishMachine(m: Machine): Machine {
  return { ...m, loadAverageAtEnd: loadavg().map(round1), cpuPressureAvg300AtEnd: cpuPressure() };
}

export function machineLine(m: Machine): string {
  const load = `load average ${m.loadAverageAtStart.join('/')} at start${m.loadAverageAtEnd ? `, ${m.loadAverageAtEnd.join('/')} at end` : ''}`;
  const psi =
    m.cpuPressureAvg300AtEnd != null ? `, CPU pressure (PSI some avg300) ${m.cpuPressureAvg300AtEnd} %` : '';
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM; Node ${m.node}; ${m.postgres}; ${m.os}; ${load}${psi}`;
}

function cpuPressure(): number | null {
  try {
    const text = readFileSync('/proc/pressure/cpu', 'utf8');
    return Number(/some avg10=[\d.]+ avg60=[\d.]+ avg300=([\d.]+)/.exec(text)?.[1] ?? Number.NaN);
  } catch {
    return null;
  }
}

function readRelease(): string {
  try {
    return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
