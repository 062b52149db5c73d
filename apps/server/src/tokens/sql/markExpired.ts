import { type Environment, environmentSchema } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../../db/client.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';
import { leaseFree } from './leases.ts';

export interface ExpiredAccount {
  accountId: string;
  orgId: string;
  environment: Environment;
}

const expiredRow = z
  .object({ account_id: z.string(), org_id: z.string(), environment: environmentSchema })
  .transform(
    (r): ExpiredAccount => ({ accountId: r.account_id, orgId: r.org_id, environment: r.environment }),
  );

/**
 * Active accounts whose refresh token has expired cannot be refreshed: eBay would answer
 * invalid_grant. Marks them (token row: refresh_token_expired, account: needs_reconnect) without
 * calling eBay, so the status page says "reconnect" instead of the worker failing every cycle.
 */
export async function markRefreshTokensExpired(
  db: Db,
  q: { now: Date; retryAt: Date; limit: number },
): Promise<ExpiredAccount[]> {
  const now = q.now.toISOString();
  return queryRows(
    db,
    sql`
      with expired as (
        select ${t.accountId}, ${t.refreshExpiresAt}
        from ebay_tokens join ebay_accounts on ${a.id} = ${t.accountId}
        where ${a.status} = 'active' and ${t.refreshExpiresAt} <= ${now}::timestamptz and ${leaseFree(q.now)}
        limit ${q.limit}
        for update of ebay_tokens skip locked
      ), marked as (
        update ebay_tokens
        set last_error_code = 'refresh_token_expired',
            last_error_message = 'The refresh token expired at '
              || to_char(expired.refresh_expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
              || '; the seller must reconnect the account.',
            last_refresh_success = false,
            next_attempt_at = ${q.retryAt.toISOString()}::timestamptz,
            updated_at = ${now}::timestamptz
        from expired
        where ${t.accountId} = expired.account_id
        returning ${t.accountId}, ${t.lastErrorMessage}
      )
      update ebay_accounts
      set status = 'needs_reconnect', status_reason = marked.last_error_message, updated_at = ${now}::timestamptz
      from marked
      where ${a.id} = marked.account_id
      returning ${a.id} as account_id, ${a.orgId}, ${a.environment}`,
    expiredRow,
  );
}
