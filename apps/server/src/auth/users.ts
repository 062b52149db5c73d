import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { orgs, users } from '../db/schema.ts';
import { newPasswordProblem } from './passwordPolicy.ts';
import { decoyPasswordHash, generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import type { Role } from './sessions.ts';

/** Orgs and users: creation (CLI, first start) and the login check. Emails are kept lower-case. */

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findOrCreateOrg(db: Db, name: string): Promise<{ id: string; created: boolean }> {
  const [inserted] = await db
    .insert(orgs)
    .values({ name })
    .onConflictDoNothing({ target: orgs.name })
    .returning({ id: orgs.id });
  if (inserted) return { id: inserted.id, created: true };
  const [existing] = await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.name, name)).limit(1);
  if (!existing) throw new Error(`org "${name}" vanished while being created`);
  return { id: existing.id, created: false };
}

/** The org of that exact name, and the names that differ from it only in case or spacing. */
export async function findOrgByName(
  db: Db,
  name: string,
): Promise<{ org: { id: string } | null; similar: string[] }> {
  const rows = await db
    .select({ id: orgs.id, name: orgs.name })
    .from(orgs)
    .where(
      sql`lower(regexp_replace(${orgs.name}, '\s+', '', 'g')) = lower(regexp_replace(${name}, '\s+', '', 'g'))`,
    );
  const exact = rows.find((r) => r.name === name);
  return {
    org: exact ? { id: exact.id } : null,
    similar: rows.filter((r) => r.name !== name).map((r) => r.name),
  };
}

export type CreateUserResult =
  | { ok: true; userId: string; email: string }
  | { ok: false; code: 'email_taken' | 'common_password'; message: string };

export async function createUser(
  db: Db,
  input: { orgId: string; email: string; role: Role; password: string },
): Promise<CreateUserResult> {
  const email = normalizeEmail(input.email);
  const problem = newPasswordProblem(input.password);
  if (problem) return problem;
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({ orgId: input.orgId, email, role: input.role, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  if (!row) return { ok: false, code: 'email_taken', message: `a user with email ${email} already exists` };
  return { ok: true, userId: row.id, email };
}

/** The user whose email and password match; null otherwise, in about the same time either way. */
export async function authenticate(
  db: Db,
  email: string,
  password: string,
): Promise<{ userId: string } | null> {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    // A disabled user is as unknown as a missing one: same answer, same time.
    .where(and(eq(users.email, normalizeEmail(email)), isNull(users.disabledAt)))
    .limit(1);
  if (!user) {
    await verifyPassword(await decoyPasswordHash(), password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? { userId: user.id } : null;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

/**
 * First start on an empty database : creates the org and its admin.
 * Returns null when users exist; `generatedPassword` is set when none was given, to be
 * printed once.
 */
export async function bootstrapFirstAdmin(
  db: Db,
  input: { orgName: string; email: string; password?: string | undefined },
): Promise<{ orgId: string; userId: string; email: string; generatedPassword: string | null } | null> {
  if ((await countUsers(db)) > 0) return null;
  const org = await findOrCreateOrg(db, input.orgName);
  const password = input.password ?? generatePassword();
  const created = await createUser(db, { orgId: org.id, email: input.email, role: 'admin', password });
  if (!created.ok) return null;
  return {
    orgId: org.id,
    userId: created.userId,
    email: created.email,
    generatedPassword: input.password ? null : password,
  };
}
