import type { Source } from '@ebay-connector/contracts';

/** How a terminal line is coloured: by the source of its entry, or by what it is. */
export type TerminalTone = Source | 'error' | 'plain' | 'muted' | 'cycle' | 'warning' | 'success';

export interface TerminalLine {
  /** Stable across renders and page loads (entry id + line number), for virtualisation and scroll anchoring. */
  key: string;
  text: string;
  tone: TerminalTone;
}

/** Mantine colours on black: scheduled green, debug blue, manual yellow, errors red. */
export const toneColor: Record<TerminalTone, string> = {
  scheduled: 'green.4',
  debug: 'blue.4',
  manual: 'yellow.4',
  connect: 'cyan.4',
  on_demand: 'violet.3',
  error: 'red.5',
  warning: 'orange.4',
  success: 'green.4',
  plain: 'gray.3',
  muted: 'gray.6',
  cycle: 'teal.6',
};

export function linesToText(lines: readonly TerminalLine[]): string {
  return lines.map((line) => line.text).join('\n');
}
