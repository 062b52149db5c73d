import { actionNeeded, type LogEntry, printable } from '@ebay-connector/contracts';
import type { CycleWindow } from '../../api/terminal.ts';
import { formatDateClock, formatDateTime, formatDuration } from '../../lib/time.ts';
import { parseCycleSummary } from './cycleSummaryView.ts';
import { explainDiagnosis } from './diagnosis.ts';
import { httpTranscript } from './httpTranscript.ts';
import type { TerminalLine, TerminalTone } from './terminalLine.ts';

export const isCycleEntry = (entry: LogEntry): boolean => entry.action === 'token_refresh_cycle';

export function isErrorEntry(entry: LogEntry): boolean {
  if (entry.error) return true;
  if (entry.response && entry.response.status_code >= 400) return true;
  if (isCycleEntry(entry)) {
    return (parseCycleSummary(entry.summary)?.failed ?? 0) > 0;
  }
  return false;
}

/** Errors are red whatever their source; everything else takes its source's colour. */
export function entryTone(entry: LogEntry): TerminalTone {
  if (isCycleEntry(entry)) return isErrorEntry(entry) ? 'warning' : 'cycle';
  return isErrorEntry(entry) ? 'error' : entry.source;
}

/**
 * "──── cycle 12:00 — 3 due: 2 refreshed, 1 failed (invalid_grant ×1) · plan 3,812 warm / 16,188 on
 * demand · 24,410 / 50,000 calls · 812 ms ────" (the plan: this org's accounts, the keyset's calls).
 */
export function cycleMarkerText(entry: LogEntry): string {
  const s = parseCycleSummary(entry.summary);
  if (!s) return `──── cycle ${formatDateClock(entry.created_at)} ────`;
  let text = `cycle ${formatDateClock(s.started_at ?? entry.created_at)} — ${s.due} due`;
  if (s.due > 0 || s.failed > 0) {
    const codes = Object.entries(s.failed_by_code).map(([code, count]) => `${code} ×${count}`);
    text += `: ${s.refreshed} refreshed, ${s.failed} failed${codes.length ? ` (${codes.join(', ')})` : ''}`;
    if (s.skipped) text += `, ${s.skipped} skipped`;
  }
  if (s.plan) {
    const n = (value: number) => value.toLocaleString('en-US');
    text += ` · plan ${n(s.plan.warm)} warm / ${n(s.plan.on_demand)} on demand`;
    text += ` · ${n(s.plan.used_24h.refresh_token)} / ${n(s.plan.limit)} calls`;
  }
  if (s.checked !== undefined) text += ` · ${s.checked} checked`;
  text += ` · ${formatDuration(s.duration_ms ?? entry.duration_ms)}`;
  if (s.circuit_open) text += ` · circuit open${s.circuit_reason ? ` (${s.circuit_reason})` : ''}`;
  if (s.aborted) text += ' · cut short by shutdown';
  if (s.quota?.warning)
    text += ` · quota warning: ${s.quota.projected_daily}/${s.quota.limit} calls projected`;
  return `──── ${text} ────`;
}

/**
 * The window of a cycle's entries: from its start until just after its marker (the marker is
 * written when the cycle has finished, and `to` is exclusive). Without a start in the summary
 * the marker's own time and duration stand in.
 */
export function cycleWindow(entry: LogEntry): CycleWindow {
  const s = parseCycleSummary(entry.summary);
  const parsedStart = Date.parse(s?.started_at ?? '');
  const startedAt = Number.isNaN(parsedStart) ? entry.created_at : (s?.started_at ?? entry.created_at);
  const start = Date.parse(startedAt);
  const parsedFinish = Date.parse(s?.finished_at ?? '');
  const finish = Number.isNaN(parsedFinish)
    ? start + (s?.duration_ms ?? entry.duration_ms ?? 0)
    : parsedFinish;
  const end = Math.max(finish, Date.parse(entry.created_at)) + 1;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString(), startedAt };
}

function accountLabel(entry: LogEntry): string {
  const name = entry.house_name ?? entry.ebay_account_id;
  if (!name) return 'account=—';
  return `account="${name}"${entry.environment ? ` (${entry.environment})` : ''}`;
}

function statusLabel(entry: LogEntry): string {
  const http = entry.response ? `HTTP ${entry.response.status_code}` : entry.request ? 'HTTP —' : 'no HTTP';
  const outcome = entry.error ? `error=${entry.error.code}` : isErrorEntry(entry) ? 'error' : 'ok';
  return `${http} ${outcome}`;
}

/** The API key whose request caused an on-demand refresh (its summary says so), if any. */
function apiKeyLabel(entry: LogEntry): string | null {
  const name = entry.summary?.api_key_name;
  return typeof name === 'string' && name ? `key="${name}"` : null;
}

/** time, source=…, action, account, (the API key that caused it,) status, duration: the first line of every entry. */
export function entryHeaderText(entry: LogEntry): string {
  return [
    formatDateTime(entry.created_at),
    `source=${entry.source}`,
    entry.action,
    accountLabel(entry),
    apiKeyLabel(entry),
    statusLabel(entry),
    formatDuration(entry.duration_ms),
  ]
    .filter((part) => part !== null)
    .join('  ');
}

function buildEntryLines(entry: LogEntry): TerminalLine[] {
  const tone = entryTone(entry);
  const texts: [string, TerminalTone][] = [];
  if (isCycleEntry(entry)) {
    texts.push([cycleMarkerText(entry), tone]);
  } else {
    texts.push([entryHeaderText(entry), tone]);
    for (const line of httpTranscript(entry.request, entry.response)) {
      texts.push([line.text, line.kind === 'heading' ? tone : 'plain']);
    }
    if (entry.error) {
      if (!entry.request) texts.push(['no HTTP request was made', 'muted']);
      const action = actionNeeded(entry.error.code);
      texts.push([
        `error: ${entry.error.code} — ${entry.error.message}${action ? `; ${action}` : ''}`,
        'error',
      ]);
      if (entry.error.diagnosis)
        texts.push([`diagnosis: ${explainDiagnosis(entry.error.diagnosis)}`, 'error']);
    }
  }
  texts.push(['', 'muted']);
  // House names (set by org admins) and eBay's answers are stored strings: a CR, LF or escape
  // sequence in one must not start a forged line on screen, in Copy all or in Download.
  const lines: TerminalLine[] = texts.map(([text, lineTone], index) => ({
    key: `${entry.id}:${index}`,
    text: printable(text),
    tone: lineTone,
  }));
  if (isCycleEntry(entry) && lines[0]) lines[0].cycle = cycleWindow(entry);
  return lines;
}

// Entries never change once logged, so each is formatted once however often the list re-renders.
const cache = new WeakMap<LogEntry, TerminalLine[]>();

export function entryLines(entry: LogEntry): TerminalLine[] {
  let lines = cache.get(entry);
  if (!lines) {
    lines = buildEntryLines(entry);
    cache.set(entry, lines);
  }
  return lines;
}

export function entriesToLines(entries: readonly LogEntry[]): TerminalLine[] {
  return entries.flatMap(entryLines);
}

/** Compact mode: one line an entry, its header (or its cycle marker). */
export function entriesToCompactLines(entries: readonly LogEntry[]): TerminalLine[] {
  return entries.map((entry) => entryLines(entry)[0] as TerminalLine);
}
