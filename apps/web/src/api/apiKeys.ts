import { type BodyOf, endpoints } from '@ebay-connector/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** Admin → API keys: the org's keys for services (`/api/v1`). Viewers read the list. */

export function useApiKeys() {
  return useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: ({ signal }) => api(endpoints.listApiKeys, { signal }),
  });
}

function useApiKeysMutation<I, O>(send: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}

/** The answer holds the key itself, the only time it is ever shown. */
export const useCreateApiKey = () =>
  useApiKeysMutation((body: BodyOf<typeof endpoints.createApiKey>) => api(endpoints.createApiKey, { body }));

export const useRevokeApiKey = () =>
  useApiKeysMutation((keyId: string) => api(endpoints.revokeApiKey, { params: { id: keyId } }));
