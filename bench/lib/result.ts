/** What every benchmark returns: metrics (some with a goal), notes, and raw details for latest.json. */

export interface Goal {
  op: '<=' | '>=';
  target: number;
}

export interface Metric {
  label: string;
  value: number | null;
  unit: string;
  goal?: Goal;
  /** Set by `judge` when there is a goal; null when the value could not be measured. */
  pass?: boolean | null;
}

export interface BenchResult {
  id: number;
  title: string;
  metrics: Metric[];
  notes: string[];
  details?: unknown;
  /** The benchmark could not run to the end (reported, never hidden). */
  error?: string;
  durationMs?: number;
}

export function metric(label: string, value: number | null, unit: string, goal?: Goal): Metric {
  const m: Metric = { label, value, unit };
  if (goal) {
    m.goal = goal;
    m.pass =
      value === null || Number.isNaN(value)
        ? null
        : goal.op === '<='
          ? value <= goal.target
          : value >= goal.target;
  }
  return m;
}

export const atMost = (target: number): Goal => ({ op: '<=', target });

export interface BenchOptions {
  quick: boolean;
  /** Repetitions of timed runs (the median is quoted). */
  runs: number;
  profile: boolean;
  resultsDir: string;
  log: (line: string) => void;
}
