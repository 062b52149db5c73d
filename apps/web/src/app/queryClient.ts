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
      queries: {
        retry: shouldRetry,
        // Capped at 2 s: the default doubles to 30 s, so a page waited long after the server returned.
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 2_000),
        refetchOnWindowFocus: true,
        refetchOnReconnect: true,
        staleTime: 5_000,
      },
      // A click while the server is gone says so at once instead of waiting, paused, for it.
      mutations: { retry: false, networkMode: 'always' },
    },
  });
  return queryClient;
}
