import type { DoctorAccount, TokenDoctorReport } from '@ebay-connector/contracts';
import { keyRingSource } from '../../config/keyRingSource.ts';
import type { AppContext } from '../../context.ts';
import { type DiagnoseEnv, diagnoseRow, type RepairSelection } from './doctorDiagnose.ts';
import {
  countTokenRows,
  DEFAULT_BATCH_SIZE,
  type ScanProgress,
  scanTokenRows,
  type TokenScanScope,
} from './doctorScan.ts';

/**
 * The token doctor (issue 6): for every token row, the state of its access and refresh
 * token (ok, or the exact decrypt diagnosis), refresh-token expiry, missing scopes, the
 * account's needs_reconnect status, and the repair that applies. Read-only; walks the
 * table in batches so it works on any number of accounts.
 */

/** What the doctor and the repair need: no eBay client, so the CLI can run them offline. */
export type DoctorContext = Pick<AppContext, 'db' | 'cipher' | 'now' | 'logger'> & {
  ebay: Pick<AppContext['ebay'], 'scopes'>;
  /** Where the key ring lives (named in the advice for a missing key). */
  env: Pick<AppContext['env'], 'TOKEN_ENCRYPTION_KEYS' | 'DATA_DIR'>;
};

export interface DoctorOptions extends TokenScanScope {
  batchSize?: number;
  /** At most this many accounts with problems are listed; counts always cover all. */
  maxListed?: number;
  onProgress?: (progress: ScanProgress) => void;
}

export function diagnoseEnvOf(ctx: DoctorContext, selection?: RepairSelection): DiagnoseEnv {
  return {
    cipher: ctx.cipher,
    requiredScopes: ctx.ebay.scopes,
    now: ctx.now(),
    selection,
    keyRing: keyRingSource(ctx.env),
  };
}

export async function diagnoseTokens(
  ctx: DoctorContext,
  opts: DoctorOptions = {},
): Promise<TokenDoctorReport> {
  const scope = { orgId: opts.orgId, env: opts.env };
  const env = diagnoseEnvOf(ctx);
  const total = await countTokenRows(ctx.db, scope);
  const maxListed = opts.maxListed ?? Number.POSITIVE_INFINITY;
  const accounts: DoctorAccount[] = [];
  const byCause: Record<string, number> = {};
  const byRepair: Record<string, number> = {};
  let done = 0;
  let withProblems = 0;
  opts.onProgress?.({ done, total });
  for await (const batch of scanTokenRows(ctx.db, scope, opts.batchSize ?? DEFAULT_BATCH_SIZE)) {
    for (const row of batch) {
      const { account } = diagnoseRow(row, env);
      if (account.problems.length === 0) continue;
      withProblems += 1;
      countOnce(
        byCause,
        account.problems.map((p) => p.cause),
      );
      countOnce(
        byRepair,
        account.problems.map((p) => p.repair),
      );
      if (accounts.length < maxListed) accounts.push(account);
    }
    done += batch.length;
    opts.onProgress?.({ done, total: Math.max(total, done) });
  }
  return {
    checked_at: env.now.toISOString(),
    current_key_id: ctx.cipher.currentKeyId,
    key_ids: [...ctx.cipher.keyIds],
    key_ring: keyRingSource(ctx.env),
    total: done,
    healthy: done - withProblems,
    with_problems: withProblems,
    by_cause: byCause,
    by_repair: byRepair,
    accounts,
    truncated: withProblems > accounts.length,
  };
}

/** Adds one to each distinct key (an account with two old-key tokens counts once). */
export function countOnce(counts: Record<string, number>, keys: readonly string[]): void {
  for (const key of new Set(keys)) counts[key] = (counts[key] ?? 0) + 1;
}
