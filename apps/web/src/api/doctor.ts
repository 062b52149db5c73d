import { type BodyOf, type Environment, endpoints, type TokenRepairReport } from '@ebay-connector/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** Cache keys of the token doctor (kept here; queryKeys.ts holds the shared ones). */
export const doctorKeys = {
  all: ['token-doctor'] as const,
  report: (env: Environment | undefined) => ['token-doctor', env ?? 'all'] as const,
};

/** The token doctor's diagnosis of the org's accounts (read-only; any signed-in user). */
export function useTokenDoctor(env: Environment | undefined) {
  return useQuery({
    queryKey: doctorKeys.report(env),
    queryFn: ({ signal }) => api(endpoints.tokenDoctor, { query: { env }, signal }),
    staleTime: 30_000,
  });
}

/** The doctor's repairs: `apply: false` previews them, `apply: true` writes them (admins). */
export function useTokenRepair() {
  const queryClient = useQueryClient();
  return useMutation<TokenRepairReport, Error, BodyOf<typeof endpoints.tokenRepair>>({
    mutationFn: (body) => api(endpoints.tokenRepair, { body }),
    onSuccess: (report) => {
      if (!report.apply) return;
      // Not awaited: the mutation is done when the API answered, the lists catch up behind it.
      void queryClient.invalidateQueries({ queryKey: doctorKeys.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokenStatusAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.accounts });
    },
  });
}
