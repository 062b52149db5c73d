import { type Environment, type Source, terminalLogsResponse } from '@ebay-connector/contracts';
import { apiGet, type QueryParams, toQueryString } from './client.ts';

/** What a terminal shows: the same filter drives the page requests, the live stream and the client-side check. */
export interface TerminalFilter {
  kind: 'token' | 'connect' | 'all';
  env: Environment | undefined;
  sources: Source[];
  accountId: string | null;
  errorsOnly: boolean;
}

export const TERMINAL_PAGE_SIZE = 500;

function filterParams(filter: TerminalFilter): QueryParams {
  return {
    kind: filter.kind,
    env: filter.env,
    source: filter.sources,
    ebay_account_id: filter.accountId,
    errors_only: filter.errorsOnly ? 'true' : undefined,
  };
}

/** One page of entries, newest first; `before_id` walks back in time. */
export function fetchTerminalPage(
  filter: TerminalFilter,
  beforeId: number | undefined,
  signal?: AbortSignal,
) {
  return apiGet('/api/admin/ebay/tokens/terminal-logs', terminalLogsResponse, {
    query: { ...filterParams(filter), limit: TERMINAL_PAGE_SIZE, before_id: beforeId },
    ...(signal ? { signal } : {}),
  });
}

/** The live tail; `after_id` (the newest id already loaded) closes the gap between history and stream. */
export function terminalStreamUrl(filter: TerminalFilter, afterId: number): string {
  return `/api/admin/ebay/tokens/terminal-stream${toQueryString({ ...filterParams(filter), after_id: afterId })}`;
}
