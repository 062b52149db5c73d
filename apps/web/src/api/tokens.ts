import {
  type Environment,
  type RefreshDebugResult,
  refreshDebugResponse,
  refreshLogResponse,
  tokenLogsResponse,
  tokenStatusResponse,
} from '@ebay-connector/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiGet, apiPost } from './client.ts';
import { queryKeys, type TokenStatusParams } from './queryKeys.ts';

export function useTokenStatus(params: TokenStatusParams) {
  return useQuery({
    queryKey: queryKeys.tokenStatus(params),
    queryFn: ({ signal }) =>
      apiGet('/api/admin/ebay/tokens/status', tokenStatusResponse, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function useRefreshLog(accountId: string | null) {
  return useQuery({
    queryKey: queryKeys.refreshLog(accountId ?? ''),
    queryFn: ({ signal }) =>
      apiGet(
        `/api/admin/ebay/accounts/${encodeURIComponent(accountId ?? '')}/refresh-log`,
        refreshLogResponse,
        {
          signal,
        },
      ),
    enabled: accountId !== null,
  });
}

export function useRefreshDebug() {
  const queryClient = useQueryClient();
  return useMutation<RefreshDebugResult, Error, string>({
    mutationFn: (accountId) =>
      apiPost('/api/admin/ebay/token/refresh-debug', refreshDebugResponse, {
        body: { ebay_account_id: accountId },
      }),
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
      apiGet('/api/admin/ebay/tokens/logs', tokenLogsResponse, {
        query: { env, ebay_account_id: accountId, limit: 50, before_id: pageParam },
        signal,
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next_before_id ?? undefined,
    enabled,
  });
}
