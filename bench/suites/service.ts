import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EbaySim } from '@ebay-connector/ebay-sim';
import { createApiKey, generateKeySpec, storeNewGrant } from '@ebay-connector/server';
import {
  buildOrg,
  createTestContext,
  freePort,
  simulatorEnv,
  startRole,
} from '@ebay-connector/server/test-support';
import type { LoadRequest, LoadResult } from '../children/loadChild.ts';
import { createBenchDatabase } from '../lib/benchDb.ts';
import { cpuBudget } from '../lib/cpuTime.ts';
import { spawnBenchChild } from '../lib/ipc.ts';
import { atMost, type BenchOptions, type BenchResult, metric } from '../lib/result.ts';
import { startSimProcess } from '../lib/simProcess.ts';
import { percentile, round } from '../lib/stats.ts';

/**
 * Benchmark 8: the service API (issue 11), PostgreSQL, the server as the production web role
 * (`roles/web.ts`, its own process, NODE_ENV=production) on loopback HTTP, the simulator and the
 * load generator in their own processes; this process only seeds the database and drives them.
 * - single-flight: 200 concurrent access-token requests for one expired account → refresh calls
 *   counted by the simulator (goal exactly 1);
 * - access-token for a valid token at 50 concurrent clients: requests/s and p95, next to
 *   `GET /healthz` of the same server in the same run (goal ≥ 50 % of its throughput);
 * - proxy overhead: the simulator at 50 ms latency, 50 concurrent clients, `GET
 *   /sell/fulfillment/v1/order` through the proxy ÷ straight to the simulator, p50 and p99.
 */

const LOAD_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../children/loadChild.ts');
const atLeast = (target: number) => ({ op: '>=' as const, target });

export async function runServiceSuite(o: BenchOptions): Promise<BenchResult> {
  const seconds = o.quick ? 2 : 6;
  // The web role's pool (app/runtime.ts: at least 20 connections), not the bench default of 10.
  const db = await createBenchDatabase('service', 10);
  const sim = await startSimProcess();
  const load = spawnBenchChild(LOAD_SCRIPT);
  const keySpec = generateKeySpec('bench');
  // Seeds with the server's key ring (the tokens it stores must decrypt in the server process).
  const ctx = createTestContext(db, sim as unknown as EbaySim, { keySpec });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startRole('web', {
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      TOKEN_ENCRYPTION_KEYS: keySpec,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      // The per-key limit stays on (it is part of every request's cost), high enough never to answer 429.
      API_KEY_RATE_LIMIT_PER_MINUTE: '100000000',
      ...simulatorEnv(sim),
    },
  });
  try {
    await load.ready;
    await waitUntilServing(`${base}/healthz`, () => server.tail());
    const org = await buildOrg(ctx.db, 'bench-service');
    const { key } = await createApiKey(ctx.db, {
      orgId: org.id,
      name: 'bench',
      scopes: ['tokens', 'proxy'],
      createdBy: null,
    });
    const account = async (username: string, accessExpiresIn: number) => {
      const grant = await sim.issueGrant(username);
      const { accountId } = await storeNewGrant(ctx, {
        orgId: org.id,
        environment: 'production',
        houseName: `House ${username}`,
        ebayUserId: grant.user_id,
        ebayUsername: grant.username,
        accessToken: grant.access_token,
        accessExpiresIn,
        refreshToken: grant.refresh_token,
        refreshExpiresIn: grant.refresh_token_expires_in,
        scopes: ctx.ebay.scopes,
      });
      return { accountId, grant };
    };
    const auth = { authorization: `Bearer ${key}` };
    const tokenRequest = (id: string): LoadRequest => ({
      url: `${base}/api/v1/ebay/accounts/${id}/access-token`,
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    });
    const loop = (request: LoadRequest, concurrency = 50, durationMs = seconds * 1000) =>
      load.call<LoadResult>('loop', { request, concurrency, durationMs });
    // Every timed loop right after its own 1 s warm-up of the same request: each case starts with
    // the same connection state (the load generator's and, proxied, the server's to eBay open and
    // warm), not with connections that went idle during the previous case.
    // CPU of each process while the timed loop ran, in µs per request (where the machine's two cores go).
    const cpu: Record<string, { server: number; postgres: number; load: number; others: number; n: number }> =
      {};
    const timed = async (request: LoadRequest, what: string) => {
      await loop(request, 50, 1000);
      const budget = await cpuBudget(
        { workerPid: server.pid, simPid: load.pid, pool: db.pool, database: db.name },
        () => loop(request),
      );
      const r = ok(budget.result, what);
      const c = cpu[what] ?? { server: 0, postgres: 0, load: 0, others: 0, n: 0 };
      cpu[what] = c;
      c.server += budget.workerMs * 1000;
      c.postgres += budget.postgresMs * 1000;
      c.load += budget.simMs * 1000;
      c.others += budget.othersMs * 1000;
      c.n += r.count;
      return r;
    };
    const cpuLine = (what: string) => {
      const c = cpu[what]!;
      const per = (us: number) => round(us / c.n, 0);
      return `${what} ${per(c.server)} server + ${per(c.postgres)} PostgreSQL + ${per(c.load)} load + ${per(c.others)} other µs`;
    };
    const rps = (r: LoadResult) => (r.count / r.elapsedMs) * 1000;
    const ok = (r: LoadResult, what: string) => {
      const bad = r.count - (r.statuses['200'] ?? 0);
      if (bad > 0)
        throw new Error(`${what}: ${bad} of ${r.count} not 200 (${JSON.stringify(r.statuses)}): ${r.sample}`);
      return r;
    };

    // 1. Single-flight.
    const expired = await account('bench_expired', 0);
    await sim.resetCounters();
    const burst = await load.call<LoadResult>('burst', {
      request: tokenRequest(expired.accountId),
      count: 200,
    });
    ok(burst, 'single-flight burst');
    const refreshCalls = (await sim.counters()).refreshCalls;
    o.log(
      `  [8] 200 concurrent access-token requests, expired account: ${refreshCalls} refresh call(s), ${round(burst.elapsedMs, 0)} ms`,
    );

    // 2. access-token (valid token) vs /healthz, 50 clients, interleaved.
    const valid = await account('bench_valid', 7200);
    const healthz: LoadRequest = { url: `${base}/healthz` };
    const h1 = await timed(healthz, 'healthz');
    const t1 = await timed(tokenRequest(valid.accountId), 'access-token');
    const h2 = await timed(healthz, 'healthz');
    const t2 = await timed(tokenRequest(valid.accountId), 'access-token');
    const healthRps = (rps(h1) + rps(h2)) / 2;
    const tokenRps = (rps(t1) + rps(t2)) / 2;
    const healthP95 = percentile([...h1.latencies, ...h2.latencies], 95);
    const tokenP95 = percentile([...t1.latencies, ...t2.latencies], 95);
    o.log(
      `  [8] healthz ${round(healthRps, 0)} req/s p95 ${round(healthP95, 1)} ms; access-token ${round(tokenRps, 0)} req/s p95 ${round(tokenP95, 1)} ms`,
    );
    o.log(`  [8] CPU per request: ${cpuLine('healthz')}; ${cpuLine('access-token')}`);

    // 3. Proxy overhead at 50 ms eBay latency.
    await sim.setLatency(50);
    const orders = 'sell/fulfillment/v1/order?limit=2';
    const direct: LoadRequest = {
      url: `${sim.url}/${orders}`,
      headers: { authorization: `Bearer ${valid.grant.access_token}` },
    };
    const proxied: LoadRequest = {
      url: `${base}/api/v1/ebay/proxy/${valid.accountId}/${orders}`,
      headers: auth,
    };
    const d1 = await timed(direct, 'direct');
    const p1 = await timed(proxied, 'proxied');
    const d2 = await timed(direct, 'direct');
    const p2 = await timed(proxied, 'proxied');
    await sim.setLatency(0);
    const dl = [...d1.latencies, ...d2.latencies];
    const pl = [...p1.latencies, ...p2.latencies];
    const ratio = (p: number) => percentile(pl, p) / percentile(dl, p);
    o.log(`  [8] CPU per request: ${cpuLine('direct')}; ${cpuLine('proxied')}`);
    o.log(
      `  [8] direct p50 ${round(percentile(dl, 50), 1)} / p99 ${round(percentile(dl, 99), 1)} ms; proxied p50 ${round(percentile(pl, 50), 1)} / p99 ${round(percentile(pl, 99), 1)} ms`,
    );
    const sellCalls = (await sim.counters()).sellUnauthorized;

    return {
      id: 8,
      title: 'service API: access tokens and the eBay API proxy (PostgreSQL, 50 concurrent clients)',
      metrics: [
        metric(
          'single-flight: refresh calls for 200 concurrent access-token requests (expired account)',
          refreshCalls,
          'calls',
          atMost(1),
        ),
        metric(
          'access-token (valid token) ÷ GET /healthz throughput, same server, same run',
          round(tokenRps / healthRps, 3),
          'ratio',
          atLeast(0.5),
        ),
        metric('access-token requests/s (valid token)', round(tokenRps, 0), 'req/s'),
        metric('access-token p95', round(tokenP95, 1), 'ms'),
        metric('GET /healthz requests/s', round(healthRps, 0), 'req/s'),
        metric('GET /healthz p95', round(healthP95, 1), 'ms'),
        metric(
          'proxy overhead: proxied ÷ direct latency, p50 (eBay latency 50 ms)',
          round(ratio(50), 3),
          'ratio',
          atMost(1.05),
        ),
        metric('proxy overhead: proxied ÷ direct latency, p99', round(ratio(99), 3), 'ratio', atMost(1.1)),
        metric('proxied p50', round(percentile(pl, 50), 1), 'ms'),
        metric('proxied p99', round(percentile(pl, 99), 1), 'ms'),
        metric('direct p50', round(percentile(dl, 50), 1), 'ms'),
        metric('direct p99', round(percentile(dl, 99), 1), 'ms'),
      ],
      notes: [
        `The server is the web role in its own process; load from another (closed loop, ${seconds} s per measurement, two measurements per case interleaved, each right after its own 1 s warm-up); the simulator in a third. Every request is authenticated (key hash lookup, one statement) and counted by the per-key rate limit as in production (sent to the database at least every 250 ms). CPU per request: user + system time of each process during the timed loops ÷ the requests answered. ${sellCalls} Sell API calls were refused during the proxy runs (expected 0).`,
      ],
      details: {
        burst: { statuses: burst.statuses, elapsedMs: burst.elapsedMs, refreshCalls },
        healthz: [h1, h2].map((r) => ({ count: r.count, rps: rps(r) })),
        accessToken: [t1, t2].map((r) => ({ count: r.count, rps: rps(r) })),
        direct: [d1, d2].map((r) => ({
          count: r.count,
          p50: percentile(r.latencies, 50),
          p99: percentile(r.latencies, 99),
        })),
        proxied: [p1, p2].map((r) => ({
          count: r.count,
          p50: percentile(r.latencies, 50),
          p99: percentile(r.latencies, 99),
        })),
      },
    };
  } finally {
    await server.stop('SIGTERM', 10_000);
    await load.stop();
    await sim.stop();
    await db.close();
  }
}

/** Polls the server's `/healthz` until it answers 200 (the web role migrates, then listens). */
async function waitUntilServing(url: string, tail: () => string, timeoutMs = 30_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const up = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    if (performance.now() > end) throw new Error(`the web role did not serve ${url} in time:\n${tail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
