import { randomInt } from 'node:crypto';
import type { Environment } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { queryRows } from '../../db/client.ts';

export interface NewGrant {
  orgId: string;
  environment: Environment;
  houseName: string;
  ebayUserId: string;
  ebayUsername: string | null;
  accessToken: string;
  accessExpiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number | null;
  scopes: string[];
  /** A reconnect: the grant may only be stored on this account (anything else rolls back). */
  onlyAccountId?: string | null | undefined;
}

export class GrantForAnotherAccountError extends Error {}

/** Spread of due times so accounts connected together do not all come due in the same cycle. */
export const MAX_JITTER_SECONDS = 300;

/**
 * Stores the tokens of a code grant: creates the account keyed on eBay's immutable user
 * id, or (reconnect) replaces the tokens of the same account and makes it active again.
 */
export async function storeNewGrant(
  ctx: AppContext,
  grant: NewGrant,
): Promise<{ accountId: string; created: boolean }> {
  const now = ctx.now();
  const accessExpiresAt = new Date(now.getTime() + grant.accessExpiresIn * 1000);
  const refreshExpiresAt = grant.refreshExpiresIn
    ? new Date(now.getTime() + grant.refreshExpiresIn * 1000)
    : null;
  return ctx.db.transaction(async (tx) => {
    const [account] = await queryRows(
      tx,
      sql`insert into ebay_accounts (org_id, environment, house_name, ebay_user_id, ebay_username, status)
          values (${grant.orgId}, ${grant.environment}, ${grant.houseName}, ${grant.ebayUserId}, ${grant.ebayUsername}, 'active')
          on conflict (org_id, environment, ebay_user_id) do update
            set ebay_username = excluded.ebay_username, house_name = excluded.house_name,
                status = 'active', status_reason = null, updated_at = ${now.toISOString()}
          returning id, (xmax = 0) as created`,
      z.object({ id: z.string(), created: z.boolean() }),
    );
    const accountId = account!.id;
    if (grant.onlyAccountId && accountId !== grant.onlyAccountId) {
      // Checked before (reconnectSeller.ts); this keeps "only that account" true whatever happens between.
      throw new GrantForAnotherAccountError(
        `a reconnect of ${grant.onlyAccountId} reached account ${accountId}`,
      );
    }
    await tx.execute(
      sql`insert into ebay_tokens (account_id, access_token, access_expires_at, refresh_token, refresh_expires_at,
            scopes, jitter_seconds, updated_at)
          values (${accountId}, ${ctx.cipher.encrypt(grant.accessToken)}, ${accessExpiresAt.toISOString()},
            ${ctx.cipher.encrypt(grant.refreshToken)}, ${refreshExpiresAt?.toISOString() ?? null},
            ${toTextArray(grant.scopes)}::text[], ${randomInt(MAX_JITTER_SECONDS + 1)}, ${now.toISOString()})
          on conflict (account_id) do update
            set access_token = excluded.access_token, access_expires_at = excluded.access_expires_at,
                refresh_token = excluded.refresh_token, refresh_expires_at = excluded.refresh_expires_at,
                scopes = excluded.scopes, version = ebay_tokens.version + 1, next_attempt_at = null,
                consecutive_failures = 0, last_error_code = null, last_error_message = null,
                updated_at = excluded.updated_at`,
    );
    return { accountId, created: account!.created };
  });
}

/** A Postgres text[] literal; scopes are URLs without quotes or commas. */
export function toTextArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
