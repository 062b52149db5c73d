import { type BodyOf, endpoints, type Role } from '@ebay-connector/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import { queryKeys } from './queryKeys.ts';

/** Admin → Users, and choosing a password (after a one-time password, or with a link). */

export function useUsers() {
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: ({ signal }) => api(endpoints.listUsers, { signal }),
  });
}

function useUsersMutation<I, O>(send: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export const useCreateUser = () =>
  useUsersMutation((body: BodyOf<typeof endpoints.createUser>) => api(endpoints.createUser, { body }));

export const useChangeRole = () =>
  useUsersMutation(({ userId, role }: { userId: string; role: Role }) =>
    api(endpoints.changeUserRole, { params: { id: userId }, body: { role } }),
  );

export const useSetUserDisabled = () =>
  useUsersMutation(({ userId, disabled }: { userId: string; disabled: boolean }) =>
    api(disabled ? endpoints.disableUser : endpoints.enableUser, { params: { id: userId } }),
  );

export const useResetPassword = () =>
  useUsersMutation(({ userId, credential }: { userId: string; credential: 'one_time_password' | 'link' }) =>
    api(endpoints.resetUserPassword, { params: { id: userId }, body: { credential } }),
  );

export const useRemoveUser = () =>
  useUsersMutation((userId: string) => api(endpoints.removeUser, { params: { id: userId } }));

export function usePasswordLinkInfo(token: string) {
  return useQuery({
    queryKey: ['password-link', token],
    queryFn: ({ signal }) => api(endpoints.passwordLinkInfo, { body: { token }, signal }),
    enabled: token !== '',
    retry: false,
  });
}

/** Chooses a password with a link; the answer is a session, as a sign-in's. */
export function useUsePasswordLink() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof endpoints.usePasswordLink>) => api(endpoints.usePasswordLink, { body }),
    onSuccess: (me) => queryClient.setQueryData(queryKeys.me, me),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BodyOf<typeof endpoints.changePassword>) => api(endpoints.changePassword, { body }),
    onSuccess: (me) => queryClient.setQueryData(queryKeys.me, me),
  });
}
