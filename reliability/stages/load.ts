import { createUser, dbNumber, queryRows } from '@ebay-connector/server';
import { waitFor } from '@ebay-connector/server/test-support';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { createAccounts, createOrg } from '../lib/accounts.ts';
import { type LatencySummary, summarize } from '../lib/figures.ts';
import { signIn } from '../lib/http.ts';
import { startWorker } from '../lib/roles.ts';
import { POLL, type SuiteEnv } from '../lib/suiteEnv.ts';

/**
 * Load: `clients` concurrent API clients on the token status and terminal endpoints for
 * `durationMs`, while a worker process refreshes `accounts` accounts against the simulator at
 * `simLatencyMs`. The worker's threshold is set above the token lifetime (7,200 s) so every
 * account is due in every cycle: it runs back-to-back full cycles for the whole window.
 */

export interface LoadOptions {
  accounts: number;
  clients: number;
  durationMs: number;
  simLatencyMs: number;
}

export interface LoadResult {
  accountIds: string[];
  requests: number;
  errors: { endpoint: string; status: number; message: string }[];
  byEndpoint: Record<string, LatencySummary>;
  all: LatencySummary;
  /** Without the first 10 s, when 50 clients hit a cold web process at once. */
  afterFirstSlice: LatencySummary;
  bySlice: LatencySummary[];
  requestsPerSecond: number;
  cyclesCompleted: number;
  refreshesInWindow: number;
  failedRefreshesInWindow: number;
  maxConcurrentRefreshesOfOneToken: number;
  workerExit: number | null;
}

/** A client gives up after this long, like a reverse proxy's default read timeout. */
const CLIENT_TIMEOUT_MS = 60_000;

/** What the clients ask for: the Workers page's queries, with and without filters. */
const ENDPOINTS: Record<string, string[]> = {
  'tokens/status': [
    '/api/admin/ebay/tokens/status',
    '/api/admin/ebay/tokens/status?env=production&limit=100',
    '/api/admin/ebay/tokens/status?state=healthy&limit=100',
    '/api/admin/ebay/tokens/status?search=load&offset=1000&limit=100',
  ],
  'terminal-logs': [
    '/api/admin/ebay/tokens/terminal-logs',
    '/api/admin/ebay/tokens/terminal-logs?limit=200&source=scheduled',
    '/api/admin/ebay/tokens/terminal-logs?limit=200&errors_only=true',
    '/api/admin/ebay/tokens/terminal-logs?limit=200&env=production&source=scheduled,debug,manual',
  ],
};

export async function runLoadStage(env: SuiteEnv, o: LoadOptions): Promise<LoadResult> {
  const { ctx, sim, api } = env;
  const orgId = await createOrg(ctx, 'reliability-load');
  const password = 'load-stage-password-1';
  const created = await createUser(ctx.db, {
    orgId,
    email: 'load@reliability.test',
    role: 'admin',
    password,
  });
  if (!created.ok) throw new Error(created.message);
  const cookie = await signIn(api, 'load@reliability.test', password);
  // Due for this stage's worker (threshold 7,500 s), not for the default threshold of later stages.
  const accounts = await createAccounts(ctx, sim, {
    orgId,
    count: o.accounts,
    accessExpiresInSeconds: 3600,
    label: 'load',
  });

  await sim.setLatency(o.simLatencyMs);
  await sim.resetCounters();
  // One cycle refreshes all of them: claim passes off, so the cycle's threshold applies.
  const worker = await startWorker(env.roles, 'worker-load', {
    TOKEN_REFRESH_INTERVAL_SECONDS: '1',
    TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: '0',
    TOKEN_REFRESH_THRESHOLD_SECONDS: '7500',
  });
  // A failure in the window must not leave this worker refreshing the later stages' accounts.
  let stopped: ReturnType<typeof worker.child.stop> | null = null;
  const stopWorker = () => {
    stopped ??= worker.child.stop('SIGTERM');
    return stopped;
  };
  try {
    await waitFor(
      async () => (await sim.counters()).refreshCalls > 0,
      30_000,
      'the worker to start refreshing',
      POLL,
    );

    const windowStart = new Date();
    const samples: Record<string, number[]> = { 'tokens/status': [], 'terminal-logs': [] };
    /** Latencies by the 10-second slice of the window in which the request started. */
    const slices: number[][] = [];
    const errors: LoadResult['errors'] = [];
    const deadline = Date.now() + o.durationMs;
    const client = async (n: number) => {
      const endpoint = n % 2 === 0 ? 'tokens/status' : 'terminal-logs';
      const paths = ENDPOINTS[endpoint]!;
      for (let i = n; Date.now() < deadline; i++) {
        const path = paths[i % paths.length]!;
        const slice = Math.floor((Date.now() - windowStart.getTime()) / 10_000);
        try {
          const res = await api.request({
            method: 'GET',
            path,
            headers: { cookie },
            timeoutMs: CLIENT_TIMEOUT_MS,
          });
          if (res.status !== 200)
            errors.push({ endpoint, status: res.status, message: res.body.slice(0, 200) });
          else {
            samples[endpoint]!.push(res.ms);
            const bucket = slices[slice] ?? [];
            bucket.push(res.ms);
            slices[slice] = bucket;
          }
        } catch (err) {
          errors.push({ endpoint, status: 0, message: String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: o.clients }, (_, n) => client(n)));
    const windowEnd = new Date();

    const counters = await sim.counters();
    const workerExit = (await stopWorker()).code;
    await sim.reset();
    const [cycles] = await queryRows(
      ctx.db,
      sql`select count(*)::int as n from ebay_connect_logs where action = 'token_refresh_cycle'
          and created_at between ${windowStart.toISOString()} and ${windowEnd.toISOString()}`,
      z.looseObject({ n: dbNumber }),
    );
    const [refreshes] = await queryRows(
      ctx.db,
      sql`select count(*) filter (where success)::int as ok, count(*) filter (where not success)::int as failed
          from ebay_token_refresh_logs where org_id = ${orgId}
          and finished_at between ${windowStart.toISOString()} and ${windowEnd.toISOString()}`,
      z.looseObject({ ok: dbNumber, failed: dbNumber }),
    );
    const all = [...samples['tokens/status']!, ...samples['terminal-logs']!];
    return {
      accountIds: accounts.map((a) => a.accountId),
      requests: all.length + errors.length,
      errors,
      byEndpoint: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])),
      all: summarize(all),
      afterFirstSlice: summarize(slices.slice(1).flatMap((v) => v ?? [])),
      bySlice: slices.map((v) => summarize(v ?? [])),
      requestsPerSecond: Math.round((all.length / (windowEnd.getTime() - windowStart.getTime())) * 1000),
      cyclesCompleted: cycles?.n ?? 0,
      refreshesInWindow: refreshes?.ok ?? 0,
      failedRefreshesInWindow: refreshes?.failed ?? 0,
      maxConcurrentRefreshesOfOneToken: counters.maxConcurrentRefreshesOfOneToken,
      workerExit,
    };
  } finally {
    await stopWorker();
  }
}
