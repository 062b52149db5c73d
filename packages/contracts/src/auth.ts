import { z } from 'zod';
import { roleSchema } from './common.ts';
import { defineEndpoint } from './endpoint.ts';

export const loginBody = z.object({
  email: z.email({ message: 'email must be an email address' }).max(254),
  password: z.string().min(1, 'password is required').max(1024),
});
export const meResponse = z.object({
  user: z.object({ id: z.string(), email: z.string(), role: roleSchema }),
  org: z.object({ id: z.string(), name: z.string() }),
  /** Signed in with a one-time password: choose a new one (`changePassword`) before anything else. */
  password_change_required: z.boolean().optional(),
});
export type Me = z.infer<typeof meResponse>;
export const logoutResponse = z.object({ ok: z.boolean() });

export const authEndpoints = {
  login: defineEndpoint({
    method: 'POST',
    path: '/api/auth/login',
    access: 'public',
    tag: 'auth',
    summary: 'Sign in with email and password; sets the session cookie',
    body: loginBody,
    response: meResponse,
  }),
  logout: defineEndpoint({
    method: 'POST',
    path: '/api/auth/logout',
    access: 'signed_in',
    tag: 'auth',
    summary: 'End the session and clear its cookie',
    response: logoutResponse,
  }),
  me: defineEndpoint({
    method: 'GET',
    path: '/api/auth/me',
    access: 'signed_in',
    tag: 'auth',
    summary: 'Who is signed in (401 when no one)',
    response: meResponse,
  }),
};
