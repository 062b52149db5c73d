import { type BodyOf, endpoints } from '@ebay-connector/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { redirectTo } from '../lib/redirect.ts';
import { api } from './client.ts';
import { queryKeys } from './queryKeys.ts';

export function useAccounts() {
  return useQuery({
    queryKey: queryKeys.accounts,
    queryFn: ({ signal }) => api(endpoints.listAccounts, { signal }),
    staleTime: 30_000,
  });
}

/** Starts the OAuth flow and sends the browser to eBay's consent page. */
export function useConnectStart() {
  return useMutation({
    mutationFn: (body: BodyOf<typeof endpoints.connectStart>) => api(endpoints.connectStart, { body }),
    onSuccess: ({ authorize_url }) => {
      redirectTo(authorize_url);
    },
  });
}

export function useManualRefresh() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (accountId: string) => api(endpoints.manualRefresh, { params: { id: accountId } }),
    // Not awaited: the mutation is done when the API answered, the lists catch up behind it.
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokenStatusAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.accounts });
    },
  });
}
