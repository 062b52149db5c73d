import type { Db } from '../db/client.ts';
import { createSession, findSessionUser, type SessionUser } from './sessions.ts';
import { authenticate } from './users.ts';

export type SignInOutcome =
  | { ok: true; token: string; session: SessionUser }
  | { ok: false; code: 'invalid_credentials' | 'session_not_found'; message: string };

/**
 * Email and password → a new session: its cookie token and who it belongs to, read back as
 * every later request will read it.
 */
export async function signIn(db: Db, email: string, password: string, now: Date): Promise<SignInOutcome> {
  const user = await authenticate(db, email, password);
  if (!user) return { ok: false, code: 'invalid_credentials', message: 'email or password is wrong' };
  const { token } = await createSession(db, user.userId, now);
  const session = await findSessionUser(db, token, now);
  if (!session)
    return { ok: false, code: 'session_not_found', message: 'the new session could not be read back' };
  return { ok: true, token, session };
}
