import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../../db/client.ts';
import { dbDateOrNull } from '../../db/rows.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';
import { REFRESH_TARGET_COLUMNS, type RefreshTarget, refreshTargetRow } from './refreshTarget.ts';

/** The account's token row for one refresh attempt; null when the account (or its token) is gone. */
export async function loadRefreshTarget(db: Db, accountId: string): Promise<RefreshTarget | null> {
  const [target] = await queryRows(
    db,
    sql`select ${REFRESH_TARGET_COLUMNS}
        from ebay_accounts join ebay_tokens on ${t.accountId} = ${a.id} where ${a.id} = ${accountId}`,
    refreshTargetRow,
  );
  return target ?? null;
}

export interface StoredAccessToken {
  /** Stored form (encrypted), or null when there is none yet or a repair discarded it. */
  accessToken: string | null;
  accessExpiresAt: Date | null;
}

const storedAccessRow = z
  .object({ access_token: z.string().nullable(), access_expires_at: dbDateOrNull })
  .transform(
    (r): StoredAccessToken => ({ accessToken: r.access_token, accessExpiresAt: r.access_expires_at }),
  );

/** The stored access token of an account; null when the account has no token row. */
export async function loadAccessToken(db: Db, accountId: string): Promise<StoredAccessToken | null> {
  const [row] = await queryRows(
    db,
    sql`select ${t.accessToken}, ${t.accessExpiresAt} from ebay_tokens where ${t.accountId} = ${accountId}`,
    storedAccessRow,
  );
  return row ?? null;
}
