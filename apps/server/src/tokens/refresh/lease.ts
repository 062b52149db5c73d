import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';

/**
 * One refresh per account at a time, across processes: a lease on the token row.
 * The worker claims many rows at once (workers/claimDue.ts); manual, debug and
 * on-demand refreshes take the same lease for one row here. A crashed holder's lease
 * simply expires.
 */

export async function acquireLease(
  db: Db,
  accountId: string,
  owner: string,
  ttlSeconds: number,
  now: Date,
): Promise<boolean> {
  const until = new Date(now.getTime() + ttlSeconds * 1000);
  const rows = await queryRows<{ account_id: string }>(
    db,
    sql`update ebay_tokens set lease_owner = ${owner}, lease_until = ${until.toISOString()}
        where account_id = ${accountId} and (lease_owner is null or lease_until < ${now.toISOString()})
        returning account_id`,
  );
  return rows.length === 1;
}

export async function releaseLease(db: Db, accountId: string, owner: string): Promise<void> {
  await db.execute(
    sql`update ebay_tokens set lease_owner = null, lease_until = null
        where account_id = ${accountId} and lease_owner = ${owner}`,
  );
}
