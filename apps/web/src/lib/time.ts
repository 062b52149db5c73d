// Times are shown in the user's locale and time zone; the API sends ISO strings.

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const dateClockFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const clockFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const hourMinuteFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

function toDate(value: string | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Full local date and time with seconds, e.g. 12/01/2025, 12:00:03. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = toDate(value);
  return date ? dateTimeFormat.format(date) : value;
}

/** Local date, hours and minutes, e.g. 12/01/2025, 12:00 (the cycle markers: a log spans days). */
export function formatDateClock(value: string): string {
  const date = toDate(value);
  return date ? dateClockFormat.format(date) : value;
}

/** Local time of day, 24-hour with seconds, e.g. 20:11:50 (a moment of the last minutes). */
export function formatClockTime(value: Date): string {
  return clockFormat.format(value);
}

/** Local hours and minutes, 24-hour, e.g. 12:00 (the chip naming a cycle). */
export function formatHourMinute(value: string): string {
  const date = toDate(value);
  return date ? hourMinuteFormat.format(date) : value;
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 minutes ago", "in 2 hours": relative to `now`. */
export function formatRelative(value: string | null | undefined, now: number = Date.now()): string {
  if (!value) return 'never';
  const date = toDate(value);
  if (!date) return value;
  const diff = date.getTime() - now;
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size || unit === 'second') {
      return relativeFormat.format(Math.round(diff / size), unit);
    }
  }
  return relativeFormat.format(0, 'second');
}

/** A compact countdown: "1h 42m", "14m 03s", "3d 4h". */
export function formatCountdown(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function formatInterval(seconds: number): string {
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

export function millisUntil(value: string | null | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const date = toDate(value);
  return date ? date.getTime() - now : null;
}
