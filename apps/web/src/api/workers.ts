import { endpoints } from '@ebay-connector/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** Loop heartbeats; polled so a stale loop shows up without a reload. */
export function useLoopStatus() {
  return useQuery({
    queryKey: queryKeys.loops,
    queryFn: ({ signal }) => api(endpoints.loopStatus, { signal }),
    refetchInterval: 15_000,
  });
}
