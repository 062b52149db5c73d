import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { orgs, sessions, users } from '../db/schema.ts';

/**
 * Server-side sessions. The cookie holds 32 random bytes (base64url); the table holds
 * only their sha256, so a leaked database cannot be replayed as cookies.
 */

export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type Role = 'admin' | 'viewer';

export interface SessionUser {
  /** sha256 of the cookie token: the `sessions.id`. */
  sessionId: string;
  expiresAt: Date;
  user: { id: string; email: string; role: Role };
  org: { id: string; name: string };
  /** Signed in with a one-time password: the guard lets this session only choose a new one. */
  passwordChangeRequired: boolean;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Db,
  userId: string,
  now: Date,
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const sessionId = hashSessionToken(token);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Housekeeping where it is cheap: this user's expired sessions go when a new one starts.
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lte(sessions.expiresAt, now)));
  await db.insert(sessions).values({ id: sessionId, userId, expiresAt });
  return { token, sessionId, expiresAt };
}

/** The signed-in user of a cookie token; null when unknown, expired, or the user is disabled. */
export async function findSessionUser(db: Db, token: string, now: Date): Promise<SessionUser | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return findSessionUserById(db, hashSessionToken(token), now);
}

/** The same by session id: a long-lived request (the event stream) re-checks its session with it. */
export async function findSessionUserById(db: Db, sessionId: string, now: Date): Promise<SessionUser | null> {
  const [row] = await db
    .select({
      expiresAt: sessions.expiresAt,
      userId: users.id,
      email: users.email,
      role: users.role,
      orgId: orgs.id,
      orgName: orgs.name,
      passwordChangeRequired: users.passwordChangeRequired,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(orgs, eq(orgs.id, users.orgId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, now), isNull(users.disabledAt)))
    .limit(1);
  if (!row) return null;
  return {
    sessionId,
    expiresAt: row.expiresAt,
    user: { id: row.userId, email: row.email, role: row.role },
    org: { id: row.orgId, name: row.orgName },
    passwordChangeRequired: row.passwordChangeRequired,
  };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Housekeeping: expired sessions serve no one. Returns how many were removed. */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const removed = await db
    .delete(sessions)
    .where(lte(sessions.expiresAt, now))
    .returning({ id: sessions.id });
  return removed.length;
}
