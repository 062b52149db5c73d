import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { orgs, passwordLinks, sessions, users } from '../db/schema.ts';
import { newPasswordProblem, type PasswordProblem } from './passwordPolicy.ts';
import { hashPassword } from './passwords.ts';
import { createSession, findSessionUser, type SessionUser } from './sessions.ts';

/**
 * Invite and password-reset links: 32 random bytes, of which only the sha256 is stored, one
 * pending link per user, used once. The link carries its token after `#`, so it never reaches
 * a server log; the page sends it in a request body.
 */

export type LinkPurpose = 'invite' | 'reset';

export const LINK_TTL_MS: Record<LinkPurpose, number> = {
  invite: 7 * 24 * 3600 * 1000,
  reset: 24 * 3600 * 1000,
};

/** Where the web UI opens a link (apps/web: SetPasswordPage). */
export const SET_PASSWORD_PATH = '/set-password';

const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new link for the user (an older pending one stops working). Run inside the caller's transaction. */
export async function createPasswordLink(
  db: Db,
  input: { userId: string; purpose: LinkPurpose; createdBy: string | null; now: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(input.now.getTime() + LINK_TTL_MS[input.purpose]);
  await db
    .insert(passwordLinks)
    .values({
      id: hashLinkToken(token),
      userId: input.userId,
      purpose: input.purpose,
      createdBy: input.createdBy,
      expiresAt,
    })
    .onConflictDoUpdate({
      target: passwordLinks.userId,
      set: {
        id: hashLinkToken(token),
        purpose: input.purpose,
        createdBy: input.createdBy,
        expiresAt,
        createdAt: sql`now()`,
      },
    });
  return { token, expiresAt };
}

export function passwordLinkUrl(uiBaseUrl: string, token: string): string {
  return `${new URL(SET_PASSWORD_PATH, uiBaseUrl).toString()}#${token}`;
}

export type LinkProblem = { ok: false; code: 'invalid_link' | 'link_expired'; message: string };

const INVALID_LINK: LinkProblem = {
  ok: false,
  code: 'invalid_link',
  message: 'this link is unknown or was used already; ask an admin for a new one',
};
const EXPIRED_LINK: LinkProblem = {
  ok: false,
  code: 'link_expired',
  message: 'this link has expired; ask an admin for a new one',
};

export interface LinkInfo {
  email: string;
  orgName: string;
  purpose: LinkPurpose;
  expiresAt: Date;
}

/** Who a link is for, without using it up. */
export async function readPasswordLink(
  db: Db,
  token: string,
  now: Date,
): Promise<({ ok: true } & LinkInfo) | LinkProblem> {
  const [row] = await db
    .select({
      email: users.email,
      orgName: orgs.name,
      purpose: passwordLinks.purpose,
      expiresAt: passwordLinks.expiresAt,
    })
    .from(passwordLinks)
    .innerJoin(users, eq(users.id, passwordLinks.userId))
    .innerJoin(orgs, eq(orgs.id, users.orgId))
    .where(and(eq(passwordLinks.id, hashLinkToken(token)), isNull(users.disabledAt)))
    .limit(1);
  if (!row) return INVALID_LINK;
  if (row.expiresAt <= now) return EXPIRED_LINK;
  return { ok: true, ...row };
}

/**
 * Uses the link once: the user's password becomes `password`, their other sessions end, and a
 * new session starts (its cookie token and who it is, as every request will read it).
 */
export async function usePasswordLink(
  db: Db,
  input: { token: string; password: string; now: Date },
): Promise<{ ok: true; token: string; session: SessionUser } | LinkProblem | PasswordProblem> {
  // Checked first: a refused password leaves the link usable.
  const problem = newPasswordProblem(input.password);
  if (problem) return problem;
  const passwordHash = await hashPassword(input.password);
  const used = await db.transaction(async (tx) => {
    // Deleting is the consumption: a second use, or a second tab, finds nothing.
    const [link] = await tx
      .delete(passwordLinks)
      .where(eq(passwordLinks.id, hashLinkToken(input.token)))
      .returning({ userId: passwordLinks.userId, expiresAt: passwordLinks.expiresAt });
    if (!link) return INVALID_LINK;
    if (link.expiresAt <= input.now) return EXPIRED_LINK;
    const [user] = await tx
      .update(users)
      .set({ passwordHash, passwordChangeRequired: false })
      .where(and(eq(users.id, link.userId), isNull(users.disabledAt)))
      .returning({ id: users.id });
    if (!user) return INVALID_LINK;
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    return { ok: true as const, userId: user.id };
  });
  if (!used.ok) return used;
  const { token } = await createSession(db, used.userId, input.now);
  const session = await findSessionUser(db, token, input.now);
  if (!session) return INVALID_LINK;
  return { ok: true, token, session };
}
