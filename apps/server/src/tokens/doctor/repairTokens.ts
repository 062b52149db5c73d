import type { DoctorCause, RepairAccount, RepairOutcome, TokenRepairReport } from '@ebay-connector/contracts';
import { countOnce, type DoctorContext, diagnoseEnvOf } from './doctor.ts';
import { diagnoseRow } from './doctorDiagnose.ts';
import {
  countTokenRows,
  DEFAULT_BATCH_SIZE,
  type ScanProgress,
  scanTokenRows,
  type TokenScanScope,
} from './doctorScan.ts';
import { applyRowRepair } from './repairApply.ts';

/**
 * The repairs the doctor prescribes, a dry run unless `apply` is set:
 *  - re-encrypt values that decrypt under a non-current key of the ring (key rotation);
 *  - unwrap double-encrypted values and encrypt plaintext_legacy ones, when the result passes
 *    the request builder's invariants;
 *  - drop an access token that cannot be used (the worker fetches a new one);
 *  - mark every other broken account needs_reconnect, with the reason;
 *  - but leave tokens under a key missing from the ring alone (the key goes back instead),
 *    unless `unknownKey: 'mark_needs_reconnect'` says it is lost for good.
 * `causes` and `accountIds` limit it to a selection (what the admin confirmed).
 * Idempotent: a second run finds nothing to do. Rows changed or leased meanwhile are left
 * alone and reported (conflict / busy).
 */

export interface RepairOptions extends TokenScanScope {
  apply?: boolean;
  /** Who asked, for the log: `cli` or `api:<email>`. */
  by?: string;
  batchSize?: number;
  maxListed?: number;
  onProgress?: (progress: ScanProgress) => void;
  causes?: readonly DoctorCause[] | undefined;
  unknownKey?: 'leave' | 'mark_needs_reconnect';
}

/** The accounts an applied repair changed, for what follows it (repairFollowUp.ts). */
export interface RepairRun {
  report: TokenRepairReport;
  appliedAccountIds: string[];
}

export async function repairTokens(ctx: DoctorContext, opts: RepairOptions = {}): Promise<TokenRepairReport> {
  return (await runTokenRepair(ctx, opts)).report;
}

export async function runTokenRepair(ctx: DoctorContext, opts: RepairOptions = {}): Promise<RepairRun> {
  const apply = opts.apply ?? false;
  const by = opts.by ?? 'unknown';
  const scope = { orgId: opts.orgId, env: opts.env, accountIds: opts.accountIds };
  const env = diagnoseEnvOf(ctx, {
    causes: opts.causes ? new Set(opts.causes) : undefined,
    unknownKey: opts.unknownKey ?? 'leave',
  });
  const total = await countTokenRows(ctx.db, scope);
  const maxListed = opts.maxListed ?? Number.POSITIVE_INFINITY;
  const log = ctx.logger.child({ component: 'token_repair', apply, by, orgId: opts.orgId ?? null });
  const accounts: RepairAccount[] = [];
  const outcomes: Record<RepairOutcome, number> = { planned: 0, applied: 0, conflict: 0, busy: 0 };
  const byAction: Record<string, number> = {};
  let checked = 0;
  let needsSeller = 0;
  let waitingForKey = 0;
  let listed = 0;
  const appliedAccountIds: string[] = [];
  opts.onProgress?.({ done: 0, total });
  for await (const batch of scanTokenRows(ctx.db, scope, opts.batchSize ?? DEFAULT_BATCH_SIZE)) {
    for (const row of batch) {
      const { plan, needsSeller: seller, waitingForKey: waiting } = diagnoseRow(row, env);
      if (seller) needsSeller += 1;
      if (waiting) waitingForKey += 1;
      if (plan.steps.length === 0) continue;
      const outcome: RepairOutcome = apply ? await applyRowRepair(ctx, row, plan, by) : 'planned';
      outcomes[outcome] += 1;
      if (outcome === 'applied') appliedAccountIds.push(row.accountId);
      if (outcome === 'planned' || outcome === 'applied')
        countOnce(
          byAction,
          plan.steps.map((s) => s.action),
        );
      const actions = plan.steps.map((s) => `${s.token ?? 'account'}:${s.action}`);
      if (outcome === 'applied') log.info({ accountId: row.accountId, actions }, 'Token repair applied');
      else if (outcome !== 'planned')
        log.warn({ accountId: row.accountId, actions, outcome }, 'Token repair skipped');
      listed += 1;
      if (accounts.length < maxListed) {
        accounts.push({
          ebay_account_id: row.accountId,
          house_name: row.houseName,
          environment: row.environment,
          outcome,
          steps: plan.steps,
        });
      }
    }
    checked += batch.length;
    opts.onProgress?.({ done: checked, total: Math.max(total, checked) });
  }
  const changed = apply ? outcomes.applied : outcomes.planned;
  log.info(
    { checked, changed, conflicts: outcomes.conflict, busy: outcomes.busy, byAction },
    apply
      ? `Token repair applied to ${changed} accounts`
      : `Token repair dry run: ${changed} accounts would change`,
  );
  const report: TokenRepairReport = {
    apply,
    checked,
    changed,
    conflicts: outcomes.conflict,
    busy: outcomes.busy,
    by_action: byAction,
    needs_seller: needsSeller,
    waiting_for_key: waitingForKey,
    accounts,
    truncated: listed > accounts.length,
    refresh_after: null,
  };
  return { report, appliedAccountIds };
}
