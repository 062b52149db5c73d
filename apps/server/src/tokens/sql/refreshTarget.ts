import { type Environment, environmentSchema } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { dbDateOrNull, dbInt, dbTextArray } from '../../db/rows.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';

/** The token row as the refresh core reads it: what one attempt needs, and the version it compares. */
export interface RefreshTarget {
  accountId: string;
  orgId: string;
  environment: Environment;
  /** Stored form (encrypted); decrypted once, by the request builder. */
  refreshToken: string;
  refreshExpiresAt: Date | null;
  accessExpiresAt: Date | null;
  scopes: string[];
  version: number;
}

/** The columns of a refresh target, selected or returned from `ebay_accounts` joined to `ebay_tokens`. */
export const REFRESH_TARGET_COLUMNS = sql`${t.accountId}, ${a.orgId}, ${a.environment}, ${t.refreshToken},
  ${t.refreshExpiresAt}, ${t.accessExpiresAt}, ${t.scopes}, ${t.version}`;

/** The row shape of REFRESH_TARGET_COLUMNS; statements returning more columns extend it. */
export const refreshTargetColumns = z.object({
  account_id: z.string(),
  org_id: z.string(),
  environment: environmentSchema,
  refresh_token: z.string(),
  refresh_expires_at: dbDateOrNull,
  access_expires_at: dbDateOrNull,
  scopes: dbTextArray,
  version: dbInt,
});

export function toRefreshTarget(row: z.output<typeof refreshTargetColumns>): RefreshTarget {
  return {
    accountId: row.account_id,
    orgId: row.org_id,
    environment: row.environment,
    refreshToken: row.refresh_token,
    refreshExpiresAt: row.refresh_expires_at,
    accessExpiresAt: row.access_expires_at,
    scopes: row.scopes,
    version: row.version,
  };
}

export const refreshTargetRow = refreshTargetColumns.transform(toRefreshTarget);

/** `returning account_id`: which rows a statement changed. */
export const accountIdRow = z.object({ account_id: z.string() });
