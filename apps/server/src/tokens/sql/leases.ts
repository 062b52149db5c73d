import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { ebayTokens as t } from '../../db/schema.ts';
import { accountIdRow } from './refreshTarget.ts';

/**
 * One refresh per account at a time, across processes: a lease on the token row (`lease_owner`,
 * `lease_until`). The worker claims many rows at once (claimDue.ts); manual, debug and on-demand
 * refreshes take it for one row here. Every statement but the take checks `lease_owner`, so a
 * holder whose lease expired and was taken over can never touch the new owner's row; a crashed
 * holder's lease simply expires.
 */

/** No one holds the row's lease at `now` (never taken, released, or expired). */
export function leaseFree(now: Date) {
  return sql`(${t.leaseOwner} is null or ${t.leaseUntil} is null or ${t.leaseUntil} <= ${now.toISOString()}::timestamptz)`;
}

/** Takes the lease of one free row until `now + ttlSeconds`; false when someone else holds it. */
export async function acquireLease(
  db: Db,
  accountId: string,
  owner: string,
  ttlSeconds: number,
  now: Date,
): Promise<boolean> {
  const until = new Date(now.getTime() + ttlSeconds * 1000);
  const rows = await queryRows(
    db,
    sql`update ebay_tokens set lease_owner = ${owner}, lease_until = ${until.toISOString()}::timestamptz
        where ${t.accountId} = ${accountId} and ${leaseFree(now)}
        returning ${t.accountId}`,
    accountIdRow,
  );
  return rows.length === 1;
}

/** Extends the lease; false when this owner no longer holds it (expired and taken, or released). */
export async function renewLease(
  db: Db,
  accountId: string,
  owner: string,
  leaseUntil: Date,
): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`update ebay_tokens set lease_until = ${leaseUntil.toISOString()}::timestamptz
        where ${t.accountId} = ${accountId} and ${t.leaseOwner} = ${owner}
        returning ${t.accountId}`,
    accountIdRow,
  );
  return rows.length === 1;
}

/** Gives the lease back (a no-op when this owner no longer holds it). */
export async function releaseLease(db: Db, accountId: string, owner: string): Promise<void> {
  await db.execute(
    sql`update ebay_tokens set lease_owner = null, lease_until = null
        where ${t.accountId} = ${accountId} and ${t.leaseOwner} = ${owner}`,
  );
}

/** Releases the lease and sets when the account may be tried next (null: when it is due again). */
export async function releaseWithNextAttempt(
  db: Db,
  accountId: string,
  owner: string,
  nextAttemptAt: Date | null,
): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`update ebay_tokens
        set lease_owner = null, lease_until = null,
            next_attempt_at = ${nextAttemptAt ? nextAttemptAt.toISOString() : null}::timestamptz
        where ${t.accountId} = ${accountId} and ${t.leaseOwner} = ${owner}
        returning ${t.accountId}`,
    accountIdRow,
  );
  return rows.length === 1;
}

/** Releases the leases of claimed accounts this owner will not process (circuit open, shutdown). */
export async function releaseLeases(db: Db, accountIds: readonly string[], owner: string): Promise<number> {
  if (accountIds.length === 0) return 0;
  const rows = await queryRows(
    db,
    sql`update ebay_tokens set lease_owner = null, lease_until = null
        where ${t.accountId} = any(${`{${accountIds.join(',')}}`}::uuid[]) and ${t.leaseOwner} = ${owner}
        returning ${t.accountId}`,
    accountIdRow,
  );
  return rows.length;
}
