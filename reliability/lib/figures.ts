import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ARTIFACTS_DIR } from './paths.ts';

/** Latency summaries and the figures of a run, written to test-results/reliability/figures.json. */

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samplesMs: number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

const figures: Record<string, unknown> = {};

export function recordFigures(stage: string, values: Record<string, unknown>): void {
  figures[stage] = { ...(figures[stage] as object | undefined), ...values };
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  writeFileSync(
    path.join(ARTIFACTS_DIR, 'figures.json'),
    `${JSON.stringify({ recorded_at: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
  console.log(`[reliability] ${stage}: ${JSON.stringify(values)}`);
}

/** The machine the figures come from: shared CI machines are noisy, so the load average goes with them. */
export function machineFigures(): Record<string, unknown> {
  return {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    load_average_1_5_15: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}
