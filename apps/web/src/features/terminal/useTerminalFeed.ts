import type { LogEntry } from '@ebay-connector/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { queryKeys } from '../../api/queryKeys.ts';
import {
  fetchTerminalPage,
  isInvestigating,
  type TerminalFilter,
  terminalStreamUrl,
} from '../../api/terminal.ts';
import { mergeEntries } from './entryFilter.ts';
import { type StreamState, useLiveStream } from './useLiveStream.ts';

/** Live entries kept in memory; beyond this the oldest live ones are dropped (older pages reload on scroll). */
const MAX_LIVE_ENTRIES = 20_000;

export interface TerminalFeed {
  entries: LogEntry[];
  isLoading: boolean;
  error: Error | null;
  hasOlder: boolean;
  isLoadingOlder: boolean;
  loadOlder: () => void;
  streamState: StreamState;
}

/** History pages by `before_id` plus the live tail, merged into one oldest-first list. */
export function useTerminalFeed(filter: TerminalFilter, live: boolean, enabled = true): TerminalFeed {
  const pages = useInfiniteQuery({
    queryKey: queryKeys.terminal(filter),
    queryFn: ({ pageParam, signal }) => fetchTerminalPage(filter, pageParam, signal),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next_before_id ?? undefined,
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });

  // Live entries belong to the filter they were received under; a new filter starts empty.
  const filterKey = JSON.stringify(filter);
  const [live_, setLive] = useState<{ key: string; entries: LogEntry[] }>({ key: filterKey, entries: [] });
  const liveEntries = live_.key === filterKey ? live_.entries : [];
  const onEntries = useCallback(
    (batch: LogEntry[]) =>
      setLive((current) => {
        const kept = current.key === filterKey ? current.entries : [];
        return { key: filterKey, entries: [...kept, ...batch].slice(-MAX_LIVE_ENTRIES) };
      }),
    [filterKey],
  );
  // The stream opens once the first page is in, resuming after its newest entry (0 when it was empty).
  const firstPage = pages.data?.pages[0];
  const afterId = firstPage ? Math.max(0, ...firstPage.entries.map((entry) => entry.id)) : null;
  // A search looks at history: the tail (which cannot search) stays closed while one is set.
  const streamUrl =
    enabled && live && afterId !== null && !isInvestigating(filter)
      ? terminalStreamUrl(filter, afterId)
      : null;
  const streamState = useLiveStream(streamUrl, onEntries);

  const entries = useMemo(
    () =>
      mergeEntries(
        (pages.data?.pages ?? []).map((page) => page.entries),
        liveEntries,
        filter,
      ),
    [pages.data, liveEntries, filter],
  );

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  const loadOlder = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return {
    entries,
    isLoading: pages.isPending && enabled,
    error: pages.error,
    hasOlder: hasNextPage,
    isLoadingOlder: isFetchingNextPage,
    loadOlder,
    streamState,
  };
}
