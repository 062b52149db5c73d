import type { Source } from '@ebay-connector/contracts';
import type { CycleWindow } from '../../api/terminal.ts';

/** How a terminal line is coloured: by the source of its entry, or by what it is. */
export type TerminalTone = Source | 'error' | 'plain' | 'muted' | 'cycle' | 'warning' | 'success';

export interface TerminalLine {
  /** Stable across renders and page loads (entry id + line number), for virtualisation and scroll anchoring. */
  key: string;
  text: string;
  tone: TerminalTone;
  /** On a cycle marker: the cycle's window, so a click shows that cycle's entries. */
  cycle?: CycleWindow;
}

/** Mantine colours on black: scheduled green, debug blue, manual yellow, errors red. */
export const toneColor: Record<TerminalTone, string> = {
  scheduled: 'green.4',
  debug: 'blue.4',
  manual: 'yellow.4',
  connect: 'cyan.4',
  on_demand: 'violet.3',
  app: 'grape.3',
  notification: 'pink.4',
  error: 'red.5',
  // A cycle marker with failures: orange read as manual's yellow on black, so a red of its own.
  warning: 'red.3',
  success: 'green.4',
  plain: 'gray.3',
  muted: 'gray.6',
  cycle: 'teal.6',
};

export function linesToText(lines: readonly TerminalLine[]): string {
  return lines.map((line) => line.text).join('\n');
}

/**
 * Soft-wraps lines longer than `columns` characters into display rows, like a terminal
 * does. Rows keep one fixed height (so virtualisation and scroll anchoring stay exact);
 * the lines themselves stay whole for Copy all and Download. `columns` 0 means no wrap.
 */
export function wrapLines(lines: readonly TerminalLine[], columns: number): readonly TerminalLine[] {
  if (columns <= 0 || !lines.some((line) => line.text.length > columns)) return lines;
  const rows: TerminalLine[] = [];
  for (const line of lines) {
    if (line.text.length <= columns) {
      rows.push(line);
      continue;
    }
    for (let start = 0, part = 0; start < line.text.length; start += columns, part++) {
      rows.push({
        ...line,
        key: part === 0 ? line.key : `${line.key}~${part}`,
        text: line.text.slice(start, start + columns),
      });
    }
  }
  return rows;
}
