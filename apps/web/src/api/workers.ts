import { endpoints, type LoopStatus } from '@ebay-connector/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/**
 * Loop heartbeats; polled so a stale loop shows up without a reload, and every second while a
 * "Run cycle now" waits for a replica or its cycle runs, so its start and end show at once.
 */
export function useLoopStatus() {
  return useQuery({
    queryKey: queryKeys.loops,
    queryFn: ({ signal }) => api(endpoints.loopStatus, { signal }),
    refetchInterval: (query) =>
      query.state.data?.loops.some((loop) => runPending(loop) || loop.last_status === 'running')
        ? 1_000
        : 15_000,
  });
}

/** A "Run cycle now" no replica has taken yet. */
export function runPending(loop: LoopStatus): boolean {
  const request = loop.run_request;
  if (!request?.requested_at) return false;
  return !request.taken_at || Date.parse(request.taken_at) < Date.parse(request.requested_at);
}

export function useRunCycle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api(endpoints.runCycle, { params: { name } }),
    onSuccess: ({ loop }) =>
      queryClient.setQueryData(queryKeys.loops, (previous: { loops: LoopStatus[] } | undefined) =>
        previous
          ? { loops: previous.loops.map((l) => (l.name === loop.name ? loop : l)) }
          : { loops: [loop] },
      ),
  });
}
