import { QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiRequestError } from '../api/apiError.ts';
import { queryKeys } from '../api/queryKeys.ts';

/** 4xx answers are final (retrying a 403 or 404 changes nothing); other failures get two more tries. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiRequestError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // A 401 anywhere means the session ended: re-check it, and the guard sends the user to the login page.
      onError: (error, query) => {
        if (isApiRequestError(error, 401) && query.queryKey[0] !== queryKeys.me[0]) {
          queryClient.setQueryData(queryKeys.me, null);
        }
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: true, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
