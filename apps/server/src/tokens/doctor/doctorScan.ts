import { accountStatusSchema, type Environment, environmentSchema } from '@ebay-connector/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../../db/client.ts';
import { countRow, dbDateOrNull, dbInt, dbTextArray } from '../../db/rows.ts';
import type { TokenRowSnapshot } from './doctorDiagnose.ts';

/**
 * Reads every token row in batches, keyset-paged by account id, so the doctor and the repair
 * walk tables of any size in constant memory and never skip or repeat a row while writing.
 */

export interface TokenScanScope {
  orgId?: string | undefined;
  env?: Environment | undefined;
  /** Only these accounts (the repair of a confirmed preview). */
  accountIds?: readonly string[] | undefined;
}

export const DEFAULT_BATCH_SIZE = 500;
const BEFORE_ALL_IDS = '00000000-0000-0000-0000-000000000000';

function scopeCondition(scope: TokenScanScope): SQL {
  const ids = scope.accountIds;
  return sql`${scope.orgId ? sql`a.org_id = ${scope.orgId}` : sql`true`}
    and ${scope.env ? sql`a.environment = ${scope.env}` : sql`true`}
    and ${ids ? sql`a.id in (${sql.join(ids.length > 0 ? ids.map((id) => sql`${id}::uuid`) : [sql`null`], sql`, `)})` : sql`true`}`;
}

export async function countTokenRows(db: Db, scope: TokenScanScope): Promise<number> {
  const [row] = await queryRows(
    db,
    sql`select count(*) as n from ebay_accounts a join ebay_tokens t on t.account_id = a.id
        where ${scopeCondition(scope)}`,
    countRow,
  );
  return row?.n ?? 0;
}

const tokenRowSnapshot = z
  .object({
    account_id: z.string(),
    org_id: z.string(),
    environment: environmentSchema,
    house_name: z.string(),
    ebay_username: z.string().nullable(),
    status: accountStatusSchema,
    status_reason: z.string().nullable(),
    access_token: z.string().nullable(),
    refresh_token: z.string(),
    refresh_expires_at: dbDateOrNull,
    scopes: dbTextArray,
    version: dbInt,
    lease_until: dbDateOrNull,
  })
  .transform(
    (r): TokenRowSnapshot => ({
      accountId: r.account_id,
      orgId: r.org_id,
      environment: r.environment,
      houseName: r.house_name,
      ebayUsername: r.ebay_username,
      status: r.status,
      statusReason: r.status_reason,
      accessToken: r.access_token,
      refreshToken: r.refresh_token,
      refreshExpiresAt: r.refresh_expires_at,
      scopes: r.scopes,
      version: r.version,
      leaseUntil: r.lease_until,
    }),
  );

export async function readTokenBatch(
  db: Db,
  scope: TokenScanScope,
  afterAccountId: string,
  limit: number,
): Promise<TokenRowSnapshot[]> {
  return queryRows(
    db,
    sql`select a.id as account_id, a.org_id, a.environment, a.house_name, a.ebay_username, a.status,
          a.status_reason, t.access_token, t.refresh_token, t.refresh_expires_at, t.scopes, t.version, t.lease_until
        from ebay_accounts a join ebay_tokens t on t.account_id = a.id
        where ${scopeCondition(scope)} and a.id > ${afterAccountId}
        order by a.id
        limit ${limit}`,
    tokenRowSnapshot,
  );
}

/** Every row in scope, one batch at a time. */
export async function* scanTokenRows(
  db: Db,
  scope: TokenScanScope,
  batchSize = DEFAULT_BATCH_SIZE,
): AsyncGenerator<TokenRowSnapshot[]> {
  let after = BEFORE_ALL_IDS;
  for (;;) {
    const batch = await readTokenBatch(db, scope, after, batchSize);
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1]!.accountId;
  }
}

export interface ScanProgress {
  done: number;
  total: number;
}
