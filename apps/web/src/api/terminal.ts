import {
  type Action,
  type Environment,
  endpoints,
  joinListParam,
  type QueryOf,
  type RefreshErrorCode,
  type Source,
} from '@ebay-connector/contracts';
import { api, endpointUrl } from './client.ts';

/** What a terminal shows: the same filter drives the page requests, the live stream and the client-side check. */
export interface TerminalFilter {
  kind: NonNullable<QueryOf<typeof endpoints.terminalLogs>['kind']>;
  env: Environment | undefined;
  sources: Source[];
  accountId: string | null;
  errorsOnly: boolean;
  /** Text search over the whole history, on the server ('' = none; sent from 3 characters). */
  search: string;
  errorCodes: RefreshErrorCode[];
  actions: Action[];
  /** One cycle's entries (a click on its marker): written from `from` until before `to`. */
  cycle: CycleWindow | null;
  /** "Last hour" and the like (null = all time); a cycle, when chosen, is the window instead. */
  since: SinceWindow | null;
}

/** A recent time range, its `from` fixed when it was chosen (so its pages and query key stay put). */
export interface SinceWindow {
  range: '1h' | '24h' | '7d';
  from: string;
}

/** A cycle's time window, from its start until just after its marker was written. */
export interface CycleWindow {
  from: string;
  to: string;
  /** When the cycle started, for the chip that names it. */
  startedAt: string;
}

/** Whether the filter searches history (search, error codes, actions or a cycle): the live tail pauses then. */
export function isInvestigating(filter: TerminalFilter): boolean {
  return (
    filter.search !== '' || filter.errorCodes.length > 0 || filter.actions.length > 0 || filter.cycle !== null
  );
}

export const TERMINAL_PAGE_SIZE = 500;

/** The query both the pages and the stream take for a filter (the stream does not search). */
function filterQuery(filter: TerminalFilter) {
  return {
    kind: filter.kind,
    env: filter.env,
    source: joinListParam(filter.sources),
    ebay_account_id: filter.accountId ?? undefined,
    errors_only: filter.errorsOnly ? ('true' as const) : undefined,
  };
}

/** A cycle's window, else the chosen time range's start: the time range asks for recent entries, a cycle is within them. */
function timeWindowQuery(filter: TerminalFilter): { from?: string; to?: string } {
  if (filter.cycle) return { from: filter.cycle.from, to: filter.cycle.to };
  return filter.since ? { from: filter.since.from } : {};
}

/** One page of entries, newest first; `before_id` walks back in time. */
export function fetchTerminalPage(
  filter: TerminalFilter,
  beforeId: number | undefined,
  signal?: AbortSignal,
) {
  return api(endpoints.terminalLogs, {
    query: {
      ...filterQuery(filter),
      q: filter.search || undefined,
      error_code: filter.errorCodes.length > 0 ? joinListParam(filter.errorCodes) : undefined,
      action: filter.actions.length > 0 ? joinListParam(filter.actions) : undefined,
      ...timeWindowQuery(filter),
      limit: TERMINAL_PAGE_SIZE,
      before_id: beforeId,
    },
    ...(signal ? { signal } : {}),
  });
}

/** The live tail; `after_id` (the newest id already loaded) closes the gap between history and stream. */
export function terminalStreamUrl(filter: TerminalFilter, afterId: number): string {
  return endpointUrl(endpoints.terminalStream, { query: { ...filterQuery(filter), after_id: afterId } });
}
