import type { LogEntry } from '@ebay-connector/contracts';
import type { TerminalFilter } from '../../api/terminal.ts';
import { isErrorEntry } from './entryLines.ts';

/**
 * The server filters too; this check keeps live-stream entries and cached pages
 * consistent with what the filter bar says.
 */
export function matchesFilter(entry: LogEntry, filter: TerminalFilter): boolean {
  if (filter.sources.length > 0 && !filter.sources.includes(entry.source)) return false;
  if (filter.accountId && entry.ebay_account_id !== filter.accountId) return false;
  if (filter.env && entry.environment && entry.environment !== filter.env) return false;
  if (filter.errorsOnly && !isErrorEntry(entry)) return false;
  if (filter.actions.length > 0 && !filter.actions.includes(entry.action)) return false;
  if (
    filter.errorCodes.length > 0 &&
    !(filter.errorCodes as readonly string[]).includes(entry.error?.code ?? '')
  )
    return false;
  const at = Date.parse(entry.created_at);
  if (filter.cycle) {
    if (at < Date.parse(filter.cycle.from) || at >= Date.parse(filter.cycle.to)) return false;
  } else if (filter.since && at < Date.parse(filter.since.from)) return false;
  return true;
}

/** Union of loaded pages and live entries, without duplicates, oldest first (newest at the bottom). */
export function mergeEntries(
  pages: readonly (readonly LogEntry[])[],
  live: readonly LogEntry[],
  filter: TerminalFilter,
): LogEntry[] {
  const byId = new Map<number, LogEntry>();
  for (const page of pages) for (const entry of page) byId.set(entry.id, entry);
  for (const entry of live) byId.set(entry.id, entry);
  return [...byId.values()].filter((entry) => matchesFilter(entry, filter)).sort((a, b) => a.id - b.id);
}
