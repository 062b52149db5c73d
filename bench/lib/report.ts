import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Machine, machineLine } from './machine.ts';
import type { BenchResult, Metric } from './result.ts';

/** The results table (terminal and Markdown), bench/results/latest.json and docs/PERFORMANCE.md. */

export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  /** Monotonic, unlike the two timestamps. */
  durationS: number;
  mode: 'full' | 'quick';
  only: number[];
  runs: number;
  machine: Machine;
  results: BenchResult[];
}

interface Row {
  id: string;
  measure: string;
  measured: string;
  goal: string;
  result: string;
}

function verdict(m: Metric): string {
  if (!m.goal) return '';
  if (m.pass === null || m.pass === undefined) return 'n/a';
  return m.pass ? 'PASS' : 'MISS';
}

function fmt(m: Metric): string {
  if (m.value === null || Number.isNaN(m.value)) return 'n/a';
  return `${m.value.toLocaleString('en', { maximumFractionDigits: 3 })} ${m.unit}`;
}

function rowsOf(results: readonly BenchResult[]): Row[] {
  const rows: Row[] = [];
  for (const r of [...results].sort((a, b) => a.id - b.id)) {
    if (r.error) {
      rows.push({ id: String(r.id), measure: r.title, measured: 'not measured', goal: '', result: 'ERROR' });
      continue;
    }
    for (const m of r.metrics) {
      rows.push({
        id: String(r.id),
        measure: m.label,
        measured: fmt(m),
        goal: m.goal ? `${m.goal.op === '<=' ? '≤' : '≥'} ${m.goal.target} ${m.unit}` : '',
        result: verdict(m),
      });
    }
  }
  return rows;
}

export function printTable(results: readonly BenchResult[], log: (line: string) => void): void {
  const rows = rowsOf(results);
  const head: Row = { id: '#', measure: 'measure', measured: 'measured', goal: 'goal', result: 'result' };
  const keys = ['id', 'measure', 'measured', 'goal', 'result'] as const;
  const width = Object.fromEntries(
    keys.map((k) => [k, Math.max(...[head, ...rows].map((r) => r[k].length))]),
  );
  const line = (r: Row) => keys.map((k) => r[k].padEnd(width[k]!)).join('  ');
  log(line(head));
  log(keys.map((k) => '-'.repeat(width[k]!)).join('  '));
  for (const r of rows) log(line(r));
  const judged = rows.filter((r) => r.result === 'PASS' || r.result === 'MISS' || r.result === 'ERROR');
  log('');
  log(
    `${judged.filter((r) => r.result === 'PASS').length} goals met, ${judged.filter((r) => r.result === 'MISS').length} missed, ${judged.filter((r) => r.result === 'ERROR').length} benchmarks failed to run`,
  );
}

export function markdownReport(run: RunRecord): string {
  const rows = rowsOf(run.results);
  const cell = (s: string) => s.replaceAll('|', '\\|');
  const table = [
    '| # | measure | measured | goal | result |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.id} | ${cell(r.measure)} | ${cell(r.measured)} | ${cell(r.goal)} | ${r.result === 'MISS' ? '**MISS**' : r.result} |`,
    ),
  ].join('\n');
  const notes = [...run.results]
    .sort((a, b) => a.id - b.id)
    .map((r) => {
      const lines = r.error ? [`error: ${r.error.split('\n')[0]}`] : r.notes;
      const took = r.durationMs ? ` (${Math.round(r.durationMs / 1000)} s)` : '';
      return `- **${r.id}. ${cell(r.title)}**${took}${lines.map((n) => `\n  - ${n}`).join('')}`;
    })
    .join('\n');
  const when = `${run.startedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const minutes = Math.round(run.durationS / 60);
  return [
    `### ${when} — ${run.mode} run of benchmarks ${run.only.join(', ')} (${minutes} min)`,
    '',
    `Machine: ${machineLine(run.machine)}.`,
    '',
    table,
    '',
    notes,
    '',
  ].join('\n');
}

export const RUNS_MARKER = '<!-- npm run bench appends its dated results below this line -->';

export function appendToPerformanceDoc(file: string, run: RunRecord): void {
  if (!existsSync(file) || !readFileSync(file, 'utf8').includes(RUNS_MARKER)) {
    const head = existsSync(file) ? readFileSync(file, 'utf8') : '# Performance\n';
    writeFileSync(file, `${head.trimEnd()}\n\n## Results log\n\n${RUNS_MARKER}\n`);
  }
  appendFileSync(file, `\n${markdownReport(run)}`);
}

export function writeLatestJson(file: string, run: RunRecord): void {
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
}
