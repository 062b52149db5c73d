import { type BodyOf, endpoints, type Me } from '@ebay-connector/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiRequestError } from './apiError.ts';
import { api } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** The signed-in user, or null when there is no session (401 is an answer here, not an error). */
async function fetchMe(): Promise<Me | null> {
  try {
    return await api(endpoints.me);
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
    mutationFn: (body: BodyOf<typeof endpoints.login>) => api(endpoints.login, { body }),
    onSuccess: (me) => queryClient.setQueryData(queryKeys.me, me),
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api(endpoints.logout),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.me, null);
    },
  });
}
