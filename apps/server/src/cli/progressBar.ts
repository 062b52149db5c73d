import type { CliIo } from './registry.ts';

/**
 * Progress of a long table walk on stderr (stdout stays clean for `--json`): a bar redrawn in
 * place on a terminal, a line every 10 % otherwise (logs, CI). Small runs print nothing.
 */

export const PROGRESS_MIN_ROWS = 1_000;

export interface ProgressTarget {
  isTTY: boolean;
  write(text: string): void;
}

export function renderProgressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  const percent = String(Math.floor(ratio * 100)).padStart(3);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${done}/${total} accounts`;
}

export function createProgressReporter(
  io: CliIo,
  target: ProgressTarget = { isTTY: Boolean(process.stderr.isTTY), write: (t) => process.stderr.write(t) },
) {
  let lastDecile = -1;
  let drawn = false;
  return {
    update({ done, total }: { done: number; total: number }): void {
      if (total < PROGRESS_MIN_ROWS) return;
      if (target.isTTY) {
        target.write(`\r${renderProgressBar(done, total)}`);
        drawn = true;
        return;
      }
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        io.err(renderProgressBar(done, total));
      }
    },
    finish(): void {
      if (drawn) target.write('\n');
    },
  };
}
