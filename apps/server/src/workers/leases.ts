import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';

/**
 * The worker's lease bookkeeping on `ebay_tokens`. Every statement checks `lease_owner`, so a
 * worker whose lease expired and was taken over can never touch the new owner's row.
 */

/** Extends the lease; false when this owner no longer holds it (expired and taken, or released). */
export async function renewLease(
  db: Db,
  accountId: string,
  owner: string,
  leaseUntil: Date,
): Promise<boolean> {
  const rows = await queryRows<{ account_id: string }>(
    db,
    sql`update ebay_tokens set lease_until = ${leaseUntil.toISOString()}::timestamptz
        where account_id = ${accountId} and lease_owner = ${owner}
        returning account_id`,
  );
  return rows.length === 1;
}

/** Releases the lease and sets when the account may be tried next (null: when it is due again). */
export async function releaseWithNextAttempt(
  db: Db,
  accountId: string,
  owner: string,
  nextAttemptAt: Date | null,
): Promise<boolean> {
  const rows = await queryRows<{ account_id: string }>(
    db,
    sql`update ebay_tokens
        set lease_owner = null, lease_until = null,
            next_attempt_at = ${nextAttemptAt ? nextAttemptAt.toISOString() : null}::timestamptz
        where account_id = ${accountId} and lease_owner = ${owner}
        returning account_id`,
  );
  return rows.length === 1;
}

/** Releases leases of claimed accounts this owner will not process (circuit open, shutdown). */
export async function releaseLeases(db: Db, accountIds: readonly string[], owner: string): Promise<number> {
  if (accountIds.length === 0) return 0;
  const rows = await queryRows<{ account_id: string }>(
    db,
    sql`update ebay_tokens set lease_owner = null, lease_until = null
        where account_id = any(${`{${accountIds.join(',')}}`}::uuid[]) and lease_owner = ${owner}
        returning account_id`,
  );
  return rows.length;
}
