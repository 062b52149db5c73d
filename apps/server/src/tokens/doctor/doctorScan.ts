import type { Environment } from '@ebay-connector/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client.ts';
import { toDate } from '../refresh/refreshRecord.ts';
import type { TokenRowSnapshot } from './doctorDiagnose.ts';

/**
 * Reads every token row in batches, keyset-paged by account id, so the doctor and the repair
 * walk tables of any size in constant memory and never skip or repeat a row while writing.
 */

export interface TokenScanScope {
  orgId?: string | undefined;
  env?: Environment | undefined;
}

export const DEFAULT_BATCH_SIZE = 500;
const BEFORE_ALL_IDS = '00000000-0000-0000-0000-000000000000';

function scopeCondition(scope: TokenScanScope): SQL {
  return sql`${scope.orgId ? sql`a.org_id = ${scope.orgId}` : sql`true`}
    and ${scope.env ? sql`a.environment = ${scope.env}` : sql`true`}`;
}

export async function countTokenRows(db: Db, scope: TokenScanScope): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from ebay_accounts a join ebay_tokens t on t.account_id = a.id
        where ${scopeCondition(scope)}`,
  );
  return Number(row?.n ?? 0);
}

interface TokenRowRecord {
  account_id: string;
  org_id: string;
  environment: Environment;
  house_name: string;
  ebay_username: string | null;
  status: TokenRowSnapshot['status'];
  status_reason: string | null;
  access_token: string | null;
  refresh_token: string;
  refresh_expires_at: string | Date | null;
  scopes: string[] | null;
  version: number;
  lease_until: string | Date | null;
}

export async function readTokenBatch(
  db: Db,
  scope: TokenScanScope,
  afterAccountId: string,
  limit: number,
): Promise<TokenRowSnapshot[]> {
  const rows = await queryRows<TokenRowRecord>(
    db,
    sql`select a.id as account_id, a.org_id, a.environment, a.house_name, a.ebay_username, a.status,
          a.status_reason, t.access_token, t.refresh_token, t.refresh_expires_at, t.scopes, t.version, t.lease_until
        from ebay_accounts a join ebay_tokens t on t.account_id = a.id
        where ${scopeCondition(scope)} and a.id > ${afterAccountId}
        order by a.id
        limit ${limit}`,
  );
  return rows.map((r) => ({
    accountId: r.account_id,
    orgId: r.org_id,
    environment: r.environment,
    houseName: r.house_name,
    ebayUsername: r.ebay_username,
    status: r.status,
    statusReason: r.status_reason,
    accessToken: r.access_token,
    refreshToken: r.refresh_token,
    refreshExpiresAt: toDate(r.refresh_expires_at),
    scopes: r.scopes ?? [],
    version: r.version,
    leaseUntil: toDate(r.lease_until),
  }));
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
