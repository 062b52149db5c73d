import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, users } from '../db/schema.ts';
import { newPasswordProblem } from './passwordPolicy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { SessionUser } from './sessions.ts';

/**
 * A user changes their own password: after a one-time password this is the only thing their
 * session may do (the auth guard), and it clears that. Their other sessions end; this one stays.
 */

export type PasswordChangeOutcome =
  | { ok: true; session: SessionUser }
  | { ok: false; code: 'wrong_password' | 'same_password' | 'common_password'; message: string };

export async function changeOwnPassword(
  db: Db,
  session: SessionUser,
  input: { currentPassword: string; newPassword: string },
): Promise<PasswordChangeOutcome> {
  const [user] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, session.user.id))
    .limit(1);
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return { ok: false, code: 'wrong_password', message: 'the current password is wrong' };
  }
  if (input.currentPassword === input.newPassword) {
    return { ok: false, code: 'same_password', message: 'choose a password other than the current one' };
  }
  const problem = newPasswordProblem(input.newPassword);
  if (problem) return problem;
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, passwordChangeRequired: false })
      .where(eq(users.id, session.user.id));
    await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, session.user.id), ne(sessions.id, session.sessionId)));
  });
  return { ok: true, session: { ...session, passwordChangeRequired: false } };
}
