import type { RepairOutcome } from '@ebay-connector/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { TokenCipher } from '../../crypto/tokenCipher.ts';
import { type Db, queryRows } from '../../db/client.ts';
import { dbDateOrNull, dbInt } from '../../db/rows.ts';
import { writeConnectLog } from '../../logs/connectLog.ts';
import { accountIdRow } from '../sql/refreshTarget.ts';
import type { DoctorContext } from './doctor.ts';
import type { RowRepairPlan, TokenRowSnapshot } from './doctorDiagnose.ts';

/**
 * Applies one row's repair in one transaction. The row is locked and compared with what the
 * doctor read (version and both stored values): if anything changed, or a refresh holds the
 * row's lease, nothing is written and the next run picks it up. Every written token is
 * checked to decrypt back to the same valid eBay token first, so a repair never makes a
 * row worse. Each applied repair leaves one `token_repaired` connect-log entry (no secrets).
 */

export class RepairVerificationError extends Error {}

/** Encrypts under the current key and proves the result decrypts back to the same valid token. */
export function encryptVerified(cipher: TokenCipher, plaintext: string): string {
  const stored = cipher.encrypt(plaintext);
  const back = cipher.decryptToken(stored);
  if (!back.ok || back.plaintext !== plaintext || back.keyId !== cipher.currentKeyId) {
    throw new RepairVerificationError(
      'the re-encrypted value does not decrypt back to the same token; nothing written',
    );
  }
  return stored;
}

const lockedRow = z.object({
  version: dbInt,
  refresh_token: z.string(),
  access_token: z.string().nullable(),
  lease_until: dbDateOrNull,
  status: z.string(),
});
type LockedRow = z.output<typeof lockedRow>;

export async function applyRowRepair(
  ctx: DoctorContext,
  row: TokenRowSnapshot,
  plan: RowRepairPlan,
  by: string,
): Promise<Exclude<RepairOutcome, 'planned'>> {
  const now = ctx.now();
  const sets = tokenAssignments(ctx.cipher, plan);
  return ctx.db.transaction(async (tx) => {
    const [current] = await queryRows(
      tx,
      sql`select t.version, t.refresh_token, t.access_token, t.lease_until, a.status
          from ebay_tokens t join ebay_accounts a on a.id = t.account_id
          where t.account_id = ${row.accountId} for update`,
      lockedRow,
    );
    if (!current || !unchanged(current, row)) return 'conflict';
    if (current.lease_until && current.lease_until > now) return 'busy';
    if (sets.length > 0 && !(await updateTokens(tx, row, sets, now))) return 'conflict';
    if (plan.needsReconnectReason) {
      await tx.execute(
        sql`update ebay_accounts set status = 'needs_reconnect', status_reason = ${plan.needsReconnectReason},
              updated_at = ${now.toISOString()}
            where id = ${row.accountId} and status = 'active'`,
      );
    }
    await writeConnectLog(tx, {
      orgId: row.orgId,
      accountId: row.accountId,
      environment: row.environment,
      action: 'token_repaired',
      source: 'manual',
      summary: { by, key_id: ctx.cipher.currentKeyId, steps: plan.steps },
      createdAt: now,
    });
    return 'applied';
  });
}

function unchanged(current: LockedRow, row: TokenRowSnapshot): boolean {
  return (
    current.version === row.version &&
    current.refresh_token === row.refreshToken &&
    current.access_token === row.accessToken &&
    current.status === row.status
  );
}

function tokenAssignments(cipher: TokenCipher, plan: RowRepairPlan): SQL[] {
  const sets: SQL[] = [];
  if (plan.refresh) sets.push(sql`refresh_token = ${encryptVerified(cipher, plan.refresh.plaintext)}`);
  if (plan.access?.action === 'discard_access_token') {
    // Due at once: the worker fetches a new access token with the refresh token.
    sets.push(sql`access_token = null, access_expires_at = null`);
  } else if (plan.access) {
    sets.push(sql`access_token = ${encryptVerified(cipher, plan.access.plaintext)}`);
  }
  return sets;
}

async function updateTokens(tx: Db, row: TokenRowSnapshot, sets: SQL[], now: Date): Promise<boolean> {
  // A repaired row is worth trying again now, not after the backoff of its decrypt_failed failures.
  const updated = await queryRows(
    tx,
    sql`update ebay_tokens set ${sql.join(sets, sql`, `)}, next_attempt_at = null,
          version = version + 1, updated_at = ${now.toISOString()}
        where account_id = ${row.accountId} and version = ${row.version}
        returning account_id`,
    accountIdRow,
  );
  return updated.length === 1;
}
