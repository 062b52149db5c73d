import type { SinceWindow } from '../../api/terminal.ts';

const HOUR_MS = 3_600_000;

/** The terminal's time ranges, newest entries back to a fixed start ("All time" sends none). */
export const TIME_RANGE_OPTIONS = [
  { value: 'all', label: 'All time' },
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 h' },
  { value: '7d', label: 'Last 7 days' },
] as const;

export type TimeRangeValue = (typeof TIME_RANGE_OPTIONS)[number]['value'];

const RANGE_MS: Record<SinceWindow['range'], number> = {
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
};

/** The window of a range chosen at `now`: it starts then and does not slide (pages stay consistent). */
export function sinceWindowOf(value: string, now = Date.now()): SinceWindow | null {
  if (!(value in RANGE_MS)) return null;
  const range = value as SinceWindow['range'];
  return { range, from: new Date(now - RANGE_MS[range]).toISOString() };
}
