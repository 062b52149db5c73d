import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { passwordLinks, sessions, users } from '../db/schema.ts';
import { lockActiveAdminIds, lockOrgUser } from './orgUsers.ts';
import { createPasswordLink, type LinkPurpose } from './passwordLinks.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import type { Role } from './sessions.ts';
import { normalizeEmail } from './users.ts';

/**
 * What an admin does to the org's users (Admin → Users). Every change runs in one transaction
 * that locks the org's active admins first (orgUsers.ts), so the org always keeps one: the last
 * active admin cannot be demoted, disabled or removed, and no admin can do that to themselves.
 * Disabling or resetting a password ends the user's sessions in the same transaction.
 */

export type Credential = 'one_time_password' | 'link';

export interface Actor {
  orgId: string;
  userId: string;
}

export type UserChangeRefusal =
  | { ok: false; code: 'not_found'; message: string }
  | { ok: false; code: 'last_admin' | 'cannot_change_self' | 'email_taken'; message: string }
  | { ok: false; code: 'not_admin'; message: string };

/** What the admin passes on, shown once: the one-time password, or the link's token. */
export interface IssuedCredential {
  oneTimePassword: string | null;
  link: { token: string; expiresAt: Date } | null;
}

const NOT_FOUND: UserChangeRefusal = { ok: false, code: 'not_found', message: 'user not found' };

/** A password nobody knows: the account is unusable until its link is used. */
const unusablePassword = () => hashPassword(randomBytes(32).toString('base64url'));

async function issueCredential(
  tx: Db,
  userId: string,
  credential: Credential,
  purpose: LinkPurpose,
  actor: Actor,
  now: Date,
): Promise<IssuedCredential> {
  if (credential === 'one_time_password') {
    const oneTimePassword = generatePassword();
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(oneTimePassword), passwordChangeRequired: true })
      .where(eq(users.id, userId));
    await tx.delete(passwordLinks).where(eq(passwordLinks.userId, userId));
    return { oneTimePassword, link: null };
  }
  await tx
    .update(users)
    .set({ passwordHash: await unusablePassword(), passwordChangeRequired: false })
    .where(eq(users.id, userId));
  const link = await createPasswordLink(tx, { userId, purpose, createdBy: actor.userId, now });
  return { oneTimePassword: null, link };
}

export async function addOrgUser(
  db: Db,
  actor: Actor,
  input: { email: string; role: Role; credential: Credential; now: Date },
): Promise<({ ok: true; userId: string } & IssuedCredential) | UserChangeRefusal> {
  const email = normalizeEmail(input.email);
  const placeholder = await unusablePassword();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ orgId: actor.orgId, email, role: input.role, passwordHash: placeholder })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (!row) {
      return {
        ok: false,
        code: 'email_taken',
        message: `a user with email ${email} already exists`,
      } as const;
    }
    const issued = await issueCredential(tx, row.id, input.credential, 'invite', actor, input.now);
    return { ok: true, userId: row.id, ...issued } as const;
  });
}

type Change = 'demote' | 'disable' | 'remove' | 'other';

/** The lock and the org-keeps-an-admin rule, shared by every change; then `apply`. */
async function changeUser<T>(
  db: Db,
  actor: Actor,
  userId: string,
  change: Change,
  apply: (tx: Db, target: { id: string; role: Role }) => Promise<T>,
): Promise<({ ok: true } & T) | UserChangeRefusal> {
  return db.transaction(async (tx) => {
    const admins = await lockActiveAdminIds(tx, actor.orgId);
    // The guard checked the role at the request's start; another admin may have changed it since.
    if (!admins.includes(actor.userId)) {
      return {
        ok: false,
        code: 'not_admin',
        message: 'you are no longer an active admin of this org',
      } as const;
    }
    const target = await lockOrgUser(tx, actor.orgId, userId);
    if (!target) return NOT_FOUND;
    if (change !== 'other' && target.id === actor.userId) {
      return {
        ok: false,
        code: 'cannot_change_self',
        message: `you cannot ${change} yourself; ask another admin`,
      } as const;
    }
    if (change !== 'other' && admins.length === 1 && admins[0] === target.id) {
      return {
        ok: false,
        code: 'last_admin',
        message: `this is the org's last active admin: make another user admin before you ${change} them`,
      } as const;
    }
    return { ok: true as const, ...(await apply(tx, target)) };
  });
}

export function changeOrgUserRole(db: Db, actor: Actor, userId: string, role: Role) {
  return changeUser(db, actor, userId, role === 'admin' ? 'other' : 'demote', async (tx) => {
    await tx.update(users).set({ role }).where(eq(users.id, userId));
    return {};
  });
}

export function disableOrgUser(db: Db, actor: Actor, userId: string, now: Date) {
  return changeUser(db, actor, userId, 'disable', async (tx) => {
    await tx.update(users).set({ disabledAt: now }).where(eq(users.id, userId));
    // At once: no request of theirs is answered after this commits (findSessionUser checks too).
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    return {};
  });
}

export function enableOrgUser(db: Db, actor: Actor, userId: string) {
  return changeUser(db, actor, userId, 'other', async (tx) => {
    await tx.update(users).set({ disabledAt: null }).where(eq(users.id, userId));
    return {};
  });
}

export function removeOrgUser(db: Db, actor: Actor, userId: string) {
  // Sessions, links and pending connections go with the row (foreign keys, on delete cascade).
  return changeUser(db, actor, userId, 'remove', async (tx) => {
    await tx.delete(users).where(eq(users.id, userId));
    return {};
  });
}

/** The old password stops working and the user's sessions end; they get in with what is issued. */
export function resetOrgUserPassword(
  db: Db,
  actor: Actor,
  userId: string,
  credential: Credential,
  now: Date,
) {
  return changeUser(db, actor, userId, 'other', async (tx) => {
    const issued = await issueCredential(tx, userId, credential, 'reset', actor, now);
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    return issued;
  });
}
