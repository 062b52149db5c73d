import {
  type Environment,
  endpoints,
  type QueryOf,
  type RefreshDebugResult,
} from '@ebay-connector/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './queryKeys.ts';

export function useTokenStatus(query: QueryOf<typeof endpoints.tokenStatus>) {
  return useQuery({
    queryKey: queryKeys.tokenStatus(query),
    queryFn: ({ signal }) => api(endpoints.tokenStatus, { query, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function useRefreshLog(accountId: string | null) {
  return useQuery({
    queryKey: queryKeys.refreshLog(accountId ?? ''),
    queryFn: ({ signal }) => api(endpoints.refreshLog, { params: { id: accountId ?? '' }, signal }),
    enabled: accountId !== null,
  });
}

export function useRefreshDebug() {
  const queryClient = useQueryClient();
  return useMutation<RefreshDebugResult, Error, string>({
    mutationFn: (accountId) => api(endpoints.refreshDebug, { body: { ebay_account_id: accountId } }),
    // Not awaited: the mutation is done when the API answered, the lists catch up behind it.
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokenStatusAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.terminalAll });
    },
  });
}

/** Token HTTP logs for the JSON viewer, newest first, older pages by `before_id`. */
export function useTokenLogs(env: Environment | undefined, accountId: string | null, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: queryKeys.tokenLogs(env, accountId),
    queryFn: ({ pageParam, signal }) =>
      api(endpoints.tokenLogs, {
        query: { env, ebay_account_id: accountId ?? undefined, limit: 50, before_id: pageParam },
        signal,
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next_before_id ?? undefined,
    enabled,
  });
}
