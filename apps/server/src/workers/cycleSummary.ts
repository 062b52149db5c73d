import type { CycleSummary, OrgCycleSummary, RefreshPlanStatus } from '@ebay-connector/contracts';
import type { CircuitReason } from './circuitBreaker.ts';
import type { FailureCode, SkipReason } from './retryPolicy.ts';

/**
 * Counts what one token refresh cycle did, overall and per org. The overall numbers go to
 * `background_workers.last_summary` and the `token_refresh_cycle` log entry; `by_org` lets the
 * API show each org only its own part of a cycle that served every org.
 */

export type AccountOutcome =
  | { kind: 'refreshed' }
  | { kind: 'failed'; code: FailureCode }
  /** Claimed but not finished by this instance: lease lost, circuit open, or shutting down. */
  | { kind: 'skipped'; reason: SkipReason };

type Counts<K extends string> = Partial<Record<K, number>>;

interface OrgCycleCounts extends Omit<OrgCycleSummary, 'failed_by_code'> {
  failed_by_code: Counts<FailureCode>;
}

export class CycleRecorder {
  readonly startedAt: Date;
  checked = 0;
  due = 0;
  refreshed = 0;
  failed = 0;
  skipped = 0;
  attempts = 0;
  retries = 0;
  readonly failedByCode: Counts<FailureCode> = {};
  readonly skippedByReason: Counts<SkipReason> = {};
  readonly byOrg: Record<string, OrgCycleCounts> = {};
  circuitReason: CircuitReason | null = null;
  aborted = false;
  retention = { connect_logs_deleted: 0, refresh_logs_deleted: 0 };
  quota = { calls_24h: 0, calls_1h: 0, projected_daily: 0, limit: 50_000, warning: false };
  appTokenQuota = { calls_24h: 0, limit: 1_000, warning: false };
  plan: RefreshPlanStatus | null = null;
  /** What the claim passes folded into this entry did (claimPass.ts); its counts are in the totals too. */
  claimPasses = { passes: 0, due: 0, refreshed: 0, failed: 0 };
  planByOrg: Record<string, { warm: number; on_demand: number }> = {};

  constructor(
    readonly cycleId: string,
    readonly instanceId: string,
    startedAt: Date,
  ) {
    this.startedAt = startedAt;
  }

  addDue(orgId: string): void {
    this.due += 1;
    this.org(orgId).due += 1;
  }

  addOutcome(orgId: string, outcome: AccountOutcome): void {
    const org = this.org(orgId);
    if (outcome.kind === 'refreshed') {
      this.refreshed += 1;
      org.refreshed += 1;
    } else if (outcome.kind === 'failed') {
      this.failed += 1;
      org.failed += 1;
      increment(this.failedByCode, outcome.code);
      increment(org.failed_by_code, outcome.code);
    } else {
      this.skipped += 1;
      increment(this.skippedByReason, outcome.reason);
    }
  }

  addAttempt(isRetry: boolean): void {
    this.attempts += 1;
    if (isRetry) this.retries += 1;
  }

  /** Adds another run's counts (a claim pass's) to this one's. */
  add(other: CycleRecorder): void {
    this.due += other.due;
    this.refreshed += other.refreshed;
    this.failed += other.failed;
    this.skipped += other.skipped;
    this.attempts += other.attempts;
    this.retries += other.retries;
    addCounts(this.failedByCode, other.failedByCode);
    addCounts(this.skippedByReason, other.skippedByReason);
    for (const [orgId, counts] of Object.entries(other.byOrg)) {
      const org = this.org(orgId);
      org.due += counts.due;
      org.refreshed += counts.refreshed;
      org.failed += counts.failed;
      addCounts(org.failed_by_code, counts.failed_by_code);
    }
  }

  /** Reports the claim passes since the previous cycle in this cycle's entry. */
  absorbClaimPasses(tally: { passes: number; totals: CycleRecorder }): void {
    this.add(tally.totals);
    const { due, refreshed, failed } = tally.totals;
    this.claimPasses = { passes: tally.passes, due, refreshed, failed };
  }

  finish(finishedAt: Date): TokenRefreshCycleSummary {
    return {
      cycle_id: this.cycleId,
      instance_id: this.instanceId,
      started_at: this.startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      duration_ms: Math.max(0, finishedAt.getTime() - this.startedAt.getTime()),
      checked: this.checked,
      due: this.due,
      refreshed: this.refreshed,
      failed: this.failed,
      failed_by_code: { ...this.failedByCode },
      skipped: this.skipped,
      skipped_by_reason: { ...this.skippedByReason },
      attempts: this.attempts,
      retries: this.retries,
      circuit_open: this.circuitReason !== null,
      circuit_reason: this.circuitReason,
      aborted: this.aborted,
      quota: { ...this.quota },
      app_token_quota: { ...this.appTokenQuota },
      retention: { ...this.retention },
      by_org: structuredClone(this.byOrg),
      plan: this.plan ? structuredClone(this.plan) : null,
      claim_passes: { ...this.claimPasses },
      plan_by_org: structuredClone(this.planByOrg),
    };
  }

  private org(orgId: string): OrgCycleCounts {
    let counts = this.byOrg[orgId];
    if (!counts) {
      counts = { due: 0, refreshed: 0, failed: 0, failed_by_code: {} };
      this.byOrg[orgId] = counts;
    }
    return counts;
  }
}

/** The contract's cycle summary with every field the worker writes present. */
export type TokenRefreshCycleSummary = Complete<Omit<CycleSummary, 'quota'>> & {
  quota: Complete<CycleSummary['quota']>;
};

type Complete<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

function addCounts<K extends string>(into: Counts<K>, from: Counts<K>): void {
  for (const [key, n] of Object.entries(from) as [K, number | undefined][])
    into[key] = (into[key] ?? 0) + (n ?? 0);
}

function increment<K extends string>(record: Counts<K>, key: K): void {
  record[key] = (record[key] ?? 0) + 1;
}
