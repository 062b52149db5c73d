import { z } from 'zod';
import { roleSchema } from './common.ts';

export const loginBody = z.object({
  email: z.email({ message: 'email must be an email address' }).max(254),
  password: z.string().min(1, 'password is required').max(1024),
});
export const meResponse = z.object({
  user: z.object({ id: z.string(), email: z.string(), role: roleSchema }),
  org: z.object({ id: z.string(), name: z.string() }),
});
export type Me = z.infer<typeof meResponse>;
export const logoutResponse = z.object({ ok: z.boolean() });
