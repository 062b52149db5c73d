import type { OrgUser } from '@ebay-connector/contracts';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { passwordLinks, users } from '../db/schema.ts';
import type { Role } from './sessions.ts';

/** Reading the org's users for Admin → Users, and the rule that an org keeps an active admin. */

const userColumns = {
  id: users.id,
  email: users.email,
  role: users.role,
  createdAt: users.createdAt,
  disabledAt: users.disabledAt,
  passwordChangeRequired: users.passwordChangeRequired,
  linkPurpose: passwordLinks.purpose,
  linkExpiresAt: passwordLinks.expiresAt,
};

type UserRow = {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  disabledAt: Date | null;
  passwordChangeRequired: boolean;
  linkPurpose: 'invite' | 'reset' | null;
  linkExpiresAt: Date | null;
};

function presentUser(row: UserRow): OrgUser {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    created_at: row.createdAt.toISOString(),
    disabled_at: row.disabledAt?.toISOString() ?? null,
    password_change_required: row.passwordChangeRequired,
    pending_link:
      row.linkPurpose && row.linkExpiresAt
        ? { purpose: row.linkPurpose, expires_at: row.linkExpiresAt.toISOString() }
        : null,
  };
}

export async function listOrgUsers(db: Db, orgId: string): Promise<OrgUser[]> {
  const rows = await db
    .select(userColumns)
    .from(users)
    .leftJoin(passwordLinks, eq(passwordLinks.userId, users.id))
    .where(eq(users.orgId, orgId))
    .orderBy(asc(users.email));
  return rows.map(presentUser);
}

/** One user of the org, or null for a missing id and another org's alike. */
export async function findOrgUser(db: Db, orgId: string, userId: string): Promise<OrgUser | null> {
  const [row] = await db
    .select(userColumns)
    .from(users)
    .leftJoin(passwordLinks, eq(passwordLinks.userId, users.id))
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
    .limit(1);
  return row ? presentUser(row) : null;
}

/**
 * The org's active admins, locked until the transaction ends: two admins demoting each other at
 * once are serialised here, and the second sees the first's change (READ COMMITTED re-reads a
 * row it waited for), so the org can never end up without one.
 */
export async function lockActiveAdminIds(tx: Db, orgId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'admin'), isNull(users.disabledAt)))
    .for('update');
  return rows.map((r) => r.id);
}

/** The user's row, locked, if it belongs to the org. */
export async function lockOrgUser(
  tx: Db,
  orgId: string,
  userId: string,
): Promise<{ id: string; role: Role; disabledAt: Date | null } | null> {
  const [row] = await tx
    .select({ id: users.id, role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
    .for('update');
  return row ?? null;
}
