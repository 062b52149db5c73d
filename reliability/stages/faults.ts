import { readFileSync } from 'node:fs';
import { errorCodeSchema } from '@ebay-connector/contracts';
import { anyRow, queryRows } from '@ebay-connector/server';
import { waitFor } from '@ebay-connector/server/test-support';
import { sql } from 'drizzle-orm';
import { createAccounts, createOrg, type SuiteAccount } from '../lib/accounts.ts';
import { startWorker, type WorkerProcess } from '../lib/roles.ts';
import type { FaultRates } from '../lib/sim.ts';
import { POLL, type SuiteEnv } from '../lib/suiteEnv.ts';
import {
  ageTokens,
  failuresByCode,
  finalTokenRows,
  type RoundProgress,
  roundProgress,
} from '../lib/tokenRows.ts';

/**
 * Faults, in rounds over the same accounts, with two worker processes (plus a replacement):
 *  A. the simulator's fault mix (5xx, 429, timeouts, resets, HTML 502s) during a full cycle;
 *  B. faults off; one of the two workers SIGKILLed mid-cycle (a replacement starts, as an
 *     orchestrator would);
 *  C. PostgreSQL "restarted" mid-cycle: the proxy every process reaches it through is cut, then
 *     restored. The round ends when every account has been refreshed again, which includes the
 *     ones the killed worker and the interrupted cycles held leases on (they expire after 60 s).
 * Between rounds "time passes" (ageTokens). The checks after recovery are in the test.
 */

export interface FaultsOptions {
  accounts: number;
  simLatencyMs: number;
  faults: FaultRates;
  outageMs: number;
}

export interface FaultsResult {
  accounts: SuiteAccount[];
  orgId: string;
  roundA: RoundProgress & { unclassified: number; seconds: number };
  roundB: { killedAfter: number; leasesHeldByKilledWorker: number; seconds: number };
  roundC: RoundProgress & {
    cutAfter: number;
    healthzDuringOutage: number;
    /** A sign-in attempt while the database is away: 503 database_unavailable, never a 500. */
    loginDuringOutage: number;
    healthzAfter: number;
    /** Error lines the surviving workers logged (statements that failed while the database was away). */
    databaseErrorsLogged: Record<string, number>;
    seconds: number;
  };
  workersAliveAfterOutage: boolean;
  workerExitCodes: (number | null)[];
  refreshCalls: number;
  maxConcurrentRefreshesOfOneToken: number;
  failuresByCode: Record<string, number>;
}

const TRANSIENT = new Set(['ebay_unavailable', 'rate_limited', 'timeout', 'network_error']);
const WORKER_ENV = {
  TOKEN_REFRESH_INTERVAL_SECONDS: '2',
  EBAY_HTTP_TIMEOUT_MS: '1000',
  TOKEN_REFRESH_CONCURRENCY: '16',
};

export async function runFaultsStage(env: SuiteEnv, o: FaultsOptions): Promise<FaultsResult> {
  const { ctx, sim } = env;
  const orgId = await createOrg(ctx, 'reliability-faults');
  const accounts = await createAccounts(ctx, sim, {
    orgId,
    count: o.accounts,
    accessExpiresInSeconds: 60,
    label: 'faults',
  });
  const progress = (since: Date, prefix?: string) => roundProgress(ctx, orgId, since, prefix);
  const seconds = (since: Date) => Math.round((Date.now() - since.getTime()) / 100) / 10;
  /** Returns once a quarter of the accounts were attempted in the round that started at `since`. */
  const underWay = (since: Date, round: string) =>
    waitFor(
      async () => (await progress(since)).attempted >= o.accounts / 4,
      120_000,
      `${round} to get going`,
      POLL,
    );
  await sim.setLatency(o.simLatencyMs);
  await sim.setFaults(o.faults);
  await sim.resetCounters();

  // A: the fault mix during a full cycle of two workers.
  const a = new Date();
  const [w1, w2] = await Promise.all([
    startWorker(env.roles, 'worker-a', WORKER_ENV),
    startWorker(env.roles, 'worker-b', WORKER_ENV),
  ]);
  await waitFor(
    async () => (await progress(a)).settled === o.accounts,
    180_000,
    'round A (fault mix) to finish',
    { ...POLL, explain: () => stuckReport(env, orgId, a, [w1!, w2!]) },
  );
  note('round A (fault mix) done');
  const roundA = {
    ...(await progress(a)),
    unclassified: await unclassified(env, orgId),
    seconds: seconds(a),
  };

  // B: faults off; SIGKILL one of the two workers once a quarter of the accounts is done.
  await sim.setFaults({});
  const b = await ageTokens(ctx, orgId);
  await underWay(b, 'round B');
  const killedAfter = (await progress(b)).attempted;
  await w1!.child.stop('SIGKILL');
  const leasesHeldByKilledWorker = (await progress(b, `${w1!.instanceId}:`)).leasedBy;
  const w3 = await startWorker(env.roles, 'worker-c', WORKER_ENV);
  await waitFor(
    async () => {
      const p = await progress(b, `${w1!.instanceId}:`);
      return p.settled + p.leasedBy === o.accounts;
    },
    120_000,
    'round B to finish every account the killed worker did not hold',
    POLL,
  );
  note('round B (SIGKILL) done');
  const roundB = { killedAfter, leasesHeldByKilledWorker, seconds: seconds(b) };

  // C: cut PostgreSQL away from every process mid-cycle, then bring it back.
  const c = await ageTokens(ctx, orgId);
  await underWay(c, 'round C');
  const cutAfter = (await progress(c)).attempted;
  await env.proxy.stop();
  const healthzDuringOutage = (await env.api.json('GET', '/healthz', null)).status;
  const loginDuringOutage = (
    await env.api.json('POST', '/api/auth/login', null, {
      email: 'outage@reliability.test',
      password: 'not-a-real-password',
    })
  ).status;
  await new Promise((r) => setTimeout(r, o.outageMs));
  await env.proxy.start();
  // Leases of the interrupted cycles (and of the killed worker) expire after 60 s; then they are taken up.
  await waitFor(
    async () => (await progress(c)).refreshed === o.accounts,
    240_000,
    'round C to recover and refresh every account',
    POLL,
  );
  const healthzAfter = (await env.api.json('GET', '/healthz', null)).status;
  const databaseErrorsLogged = errorLines([w2!.child.logFile, w3.child.logFile]);
  note('round C (database cut) done');
  const roundC = {
    ...(await progress(c)),
    cutAfter,
    healthzDuringOutage,
    loginDuringOutage,
    healthzAfter,
    databaseErrorsLogged,
    seconds: seconds(c),
  };
  const workersAliveAfterOutage = w2!.child.alive() && w3.child.alive();

  const workerExitCodes = await Promise.all([w2!, w3].map(async (w) => (await w.child.stop('SIGTERM')).code));
  const counters = await sim.counters();
  await sim.reset();
  return {
    accounts,
    orgId,
    roundA,
    roundB,
    roundC,
    workersAliveAfterOutage,
    workerExitCodes,
    refreshCalls: counters.refreshCalls,
    maxConcurrentRefreshesOfOneToken: counters.maxConcurrentRefreshesOfOneToken,
    failuresByCode: await failuresByCode(ctx, orgId),
  };
}

function note(text: string): void {
  console.log(`[reliability] faults: ${text} at ${new Date().toISOString()}`);
}

/** What a round that does not finish is waiting for: unsettled rows, database sessions, worker output. */
async function stuckReport(
  env: SuiteEnv,
  orgId: string,
  since: Date,
  workers: WorkerProcess[],
): Promise<string> {
  const progress = await roundProgress(env.ctx, orgId, since);
  const unsettled = await queryRows(
    env.ctx.db,
    sql`select t.account_id, t.lease_owner, t.lease_until, t.last_refresh_at, t.next_attempt_at,
          t.access_expires_at, t.last_error_code, a.status
        from ebay_tokens t join ebay_accounts a on a.id = t.account_id
        where a.org_id = ${orgId} and (t.last_refresh_at is null or t.last_refresh_at < ${since.toISOString()}::timestamptz
          or t.lease_owner is not null)
        limit 10`,
    anyRow,
  );
  const sessions = await queryRows(
    env.ctx.db,
    sql`select pid, state, wait_event_type, wait_event, now() - xact_start as in_transaction_for, left(query, 200) as query
        from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
    anyRow,
  );
  const lines = [
    `progress: ${JSON.stringify(progress)}`,
    `unsettled (first 10): ${JSON.stringify(unsettled, null, 1)}`,
    `busy database sessions: ${JSON.stringify(sessions, null, 1)}`,
    ...workers.map(
      (w) => `${w.child.name} (${w.child.alive() ? 'alive' : 'exited'}), last lines:\n${w.child.tail(15)}`,
    ),
  ];
  return lines.join('\n');
}

/** Accounts whose last attempt failed without a transient code and a next attempt scheduled. */
async function unclassified(env: SuiteEnv, orgId: string): Promise<number> {
  const rows = await finalTokenRows(env.ctx, orgId);
  return rows.filter(
    (r) =>
      !r.last_refresh_success &&
      !(r.last_error_code && TRANSIENT.has(r.last_error_code) && r.next_attempt_at),
  ).length;
}

export const KNOWN_ERROR_CODES = new Set<string>(errorCodeSchema.options);

/** Error-level log lines (pino level 50) by the start of their message. */
function errorLines(files: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of files.flatMap((f) => readFileSync(f, 'utf8').split('\n'))) {
    if (!line.startsWith('{"level":50')) continue;
    const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
    const kind = msg.split(':')[0]!.slice(0, 80);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

export type { WorkerProcess };
