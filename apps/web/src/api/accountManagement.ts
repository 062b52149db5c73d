import { endpoints } from '@ebay-connector/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** The account page's data and the account's management (disable, enable, remove). */

export function useAccountDetail(accountId: string) {
  return useQuery({
    queryKey: queryKeys.accountDetail(accountId),
    queryFn: ({ signal }) => api(endpoints.accountDetail, { params: { id: accountId }, signal }),
    refetchInterval: 30_000,
  });
}

/** Token facts: every fetch is a POST logged as a view (`token_info_viewed`), so once per visit. */
export function useTokenInfo(accountId: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.tokenInfo(accountId),
    queryFn: ({ signal }) => api(endpoints.tokenInfo, { params: { id: accountId }, signal }),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

/** The account's latest entries of every kind (refreshes, connects, changes), newest first. */
export function useAccountActivity(accountId: string) {
  return useQuery({
    queryKey: queryKeys.accountActivity(accountId),
    queryFn: ({ signal }) =>
      api(endpoints.terminalLogs, { query: { kind: 'all', ebay_account_id: accountId, limit: 50 }, signal }),
    refetchInterval: 30_000,
  });
}

export type AccountChange = 'disable' | 'enable' | 'remove';

const CHANGE_ENDPOINTS = {
  disable: endpoints.disableAccount,
  enable: endpoints.enableAccount,
  remove: endpoints.removeAccount,
} as const;

export function useChangeAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ accountId, change }: { accountId: string; change: AccountChange }) =>
      api(CHANGE_ENDPOINTS[change], { params: { id: accountId } }),
    // Not awaited: the mutation is done when the API answered, the lists catch up behind it.
    onSettled: (_data, _error, { accountId }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.accounts });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokenStatusAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.accountDetail(accountId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.accountActivity(accountId) });
    },
  });
}
