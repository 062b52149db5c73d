import { loopStatusResponse } from '@ebay-connector/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** Loop heartbeats; polled so a stale loop shows up without a reload. */
export function useLoopStatus() {
  return useQuery({
    queryKey: queryKeys.loops,
    queryFn: ({ signal }) => apiGet('/api/admin/ebay/workers/loop-status', loopStatusResponse, { signal }),
    refetchInterval: 15_000,
  });
}
