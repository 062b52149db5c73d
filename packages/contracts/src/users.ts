import { z } from 'zod';
import { meResponse } from './auth.ts';
import { roleSchema, uuidParam } from './common.ts';
import { defineEndpoint } from './endpoint.ts';

/**
 * Admin → Users: the org's users, managed by its admins. A new user or a password reset gets
 * either a one-time password (shown once; the user must choose a new one at the first sign-in)
 * or a link (invite or reset) that lets them choose one. The org always keeps an active admin.
 */

export const userIdParams = z.object({ id: uuidParam('a user id') });

/** The rule for a password a person chooses. */
export const newPasswordSchema = z
  .string()
  .min(12, 'password must be at least 12 characters')
  .max(1024, 'password must be at most 1024 characters');

export const orgUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  created_at: z.string(),
  /** A disabled user cannot sign in; their sessions ended when they were disabled. */
  disabled_at: z.string().nullable(),
  /** Has a one-time password and must choose a new one at the next sign-in. */
  password_change_required: z.boolean(),
  /** An unused invite or reset link and when it expires. */
  pending_link: z.object({ purpose: z.enum(['invite', 'reset']), expires_at: z.string() }).nullable(),
});
export type OrgUser = z.infer<typeof orgUserSchema>;

export const usersResponse = z.object({ users: z.array(orgUserSchema) });

/** How the user gets in: a password shown once to the admin, or a link the admin passes on. */
export const credentialSchema = z.enum(['one_time_password', 'link']);

export const createUserBody = z.object({
  email: z.email({ message: 'email must be an email address' }).max(254),
  role: roleSchema,
  credential: credentialSchema,
});

/** Exactly one of the two is set: the one-time password or the link. Shown once, never stored in clear. */
export const userCredentialResponse = z.object({
  user: orgUserSchema,
  one_time_password: z.string().nullable(),
  link: z.object({ url: z.string(), expires_at: z.string() }).nullable(),
});

export const changeRoleBody = z.object({ role: roleSchema });
export const resetPasswordBody = z.object({ credential: credentialSchema });
export const userChangeResponse = z.object({ user: orgUserSchema });
export const removeUserResponse = z.object({ ok: z.boolean() });

/** The token travels in the body, never in a URL the server logs (the link carries it after `#`). */
export const passwordLinkBody = z.object({ token: z.string().min(1).max(200) });
export const passwordLinkInfoResponse = z.object({
  email: z.string(),
  org_name: z.string(),
  purpose: z.enum(['invite', 'reset']),
  expires_at: z.string(),
});
export const usePasswordLinkBody = passwordLinkBody.extend({ password: newPasswordSchema });
export const changePasswordBody = z.object({
  current_password: z.string().min(1, 'current_password is required').max(1024),
  new_password: newPasswordSchema,
});

export const usersEndpoints = {
  listUsers: defineEndpoint({
    method: 'GET',
    path: '/api/admin/users',
    access: 'admin',
    tag: 'users',
    summary: "The org's users",
    response: usersResponse,
  }),
  createUser: defineEndpoint({
    method: 'POST',
    path: '/api/admin/users',
    access: 'admin',
    tag: 'users',
    summary: 'Adds a user with a role and a one-time password or an invite link (shown once)',
    body: createUserBody,
    response: userCredentialResponse,
  }),
  changeUserRole: defineEndpoint({
    method: 'POST',
    path: '/api/admin/users/:id/role',
    access: 'admin',
    tag: 'users',
    summary: 'Changes the role (the last active admin cannot be demoted)',
    params: userIdParams,
    body: changeRoleBody,
    response: userChangeResponse,
  }),
  disableUser: defineEndpoint({
    method: 'POST',
    path: '/api/admin/users/:id/disable',
    access: 'admin',
    tag: 'users',
    summary: 'Disables the user and ends their sessions at once (not the last active admin)',
    params: userIdParams,
    response: userChangeResponse,
  }),
  enableUser: defineEndpoint({
    method: 'POST',
    path: '/api/admin/users/:id/enable',
    access: 'admin',
    tag: 'users',
    summary: 'Lets a disabled user sign in again',
    params: userIdParams,
    response: userChangeResponse,
  }),
  resetUserPassword: defineEndpoint({
    method: 'POST',
    path: '/api/admin/users/:id/reset-password',
    access: 'admin',
    tag: 'users',
    summary: 'A new one-time password or a reset link (shown once); the old password stops working',
    params: userIdParams,
    body: resetPasswordBody,
    response: userCredentialResponse,
  }),
  removeUser: defineEndpoint({
    method: 'POST',
    path: '/api/admin/users/:id/remove',
    access: 'admin',
    tag: 'users',
    summary: 'Removes the user and their sessions (not the last active admin)',
    params: userIdParams,
    response: removeUserResponse,
  }),
  passwordLinkInfo: defineEndpoint({
    method: 'POST',
    path: '/api/auth/password-link/info',
    access: 'public',
    tag: 'auth',
    summary: 'Who an invite or reset link is for (the link is not used up)',
    body: passwordLinkBody,
    response: passwordLinkInfoResponse,
  }),
  usePasswordLink: defineEndpoint({
    method: 'POST',
    path: '/api/auth/password-link',
    access: 'public',
    tag: 'auth',
    summary: 'Chooses a password with an invite or reset link, once, and signs in',
    body: usePasswordLinkBody,
    response: meResponse,
  }),
  changePassword: defineEndpoint({
    method: 'POST',
    path: '/api/auth/password',
    access: 'signed_in',
    tag: 'auth',
    summary: 'Changes your own password (after a one-time password, the only thing you may do)',
    body: changePasswordBody,
    response: meResponse,
  }),
};
