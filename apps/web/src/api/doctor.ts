import {
  type Environment,
  type TokenRepairReport,
  tokenDoctorResponse,
  tokenRepairResponse,
} from '@ebay-connector/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiPost } from './client.ts';
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
    queryFn: ({ signal }) =>
      apiGet('/api/admin/ebay/tokens/doctor', tokenDoctorResponse, { query: { env }, signal }),
    staleTime: 30_000,
  });
}

/** The doctor's repairs: `apply: false` previews them, `apply: true` writes them (admins). */
export function useTokenRepair() {
  const queryClient = useQueryClient();
  return useMutation<TokenRepairReport, Error, { apply: boolean; env?: Environment | undefined }>({
    mutationFn: (body) => apiPost('/api/admin/ebay/tokens/repair', tokenRepairResponse, { body }),
    onSuccess: (report) => {
      if (!report.apply) return;
      // Not awaited: the mutation is done when the API answered, the lists catch up behind it.
      void queryClient.invalidateQueries({ queryKey: doctorKeys.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokenStatusAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.accounts });
    },
  });
}
