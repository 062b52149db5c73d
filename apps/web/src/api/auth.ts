import { logoutResponse, type Me, meResponse } from '@ebay-connector/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiRequestError } from './apiError.ts';
import { apiGet, apiPost } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** The signed-in user, or null when there is no session (401 is an answer here, not an error). */
async function fetchMe(): Promise<Me | null> {
  try {
    return await apiGet('/api/auth/me', meResponse);
  } catch (error) {
    if (isApiRequestError(error, 401)) return null;
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

export function useIsAdmin(): boolean {
  return useMe().data?.user.role === 'admin';
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      apiPost('/api/auth/login', meResponse, { body }),
    onSuccess: (me) => queryClient.setQueryData(queryKeys.me, me),
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiPost('/api/auth/logout', logoutResponse),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.me, null);
    },
  });
}
