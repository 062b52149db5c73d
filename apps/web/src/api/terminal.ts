import {
  type Environment,
  endpoints,
  joinListParam,
  type QueryOf,
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
}

export const TERMINAL_PAGE_SIZE = 500;

/** The query both the pages and the stream take for a filter. */
function filterQuery(filter: TerminalFilter) {
  return {
    kind: filter.kind,
    env: filter.env,
    source: joinListParam(filter.sources),
    ebay_account_id: filter.accountId ?? undefined,
    errors_only: filter.errorsOnly ? ('true' as const) : undefined,
  };
}

/** One page of entries, newest first; `before_id` walks back in time. */
export function fetchTerminalPage(
  filter: TerminalFilter,
  beforeId: number | undefined,
  signal?: AbortSignal,
) {
  return api(endpoints.terminalLogs, {
    query: { ...filterQuery(filter), limit: TERMINAL_PAGE_SIZE, before_id: beforeId },
    ...(signal ? { signal } : {}),
  });
}

/** The live tail; `after_id` (the newest id already loaded) closes the gap between history and stream. */
export function terminalStreamUrl(filter: TerminalFilter, afterId: number): string {
  return endpointUrl(endpoints.terminalStream, { query: { ...filterQuery(filter), after_id: afterId } });
}
