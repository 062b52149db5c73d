import { sql } from 'drizzle-orm';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { z } from 'zod';
import type { AppContext } from './context.ts';
import { queryRows } from './db/client.ts';
import { dbInt, dbNumber } from './db/rows.ts';
import { soonestAccessExpiry } from './tokens/sql/counts.ts';
import { tokenStateSql } from './tokens/sql/tokenState.ts';
import { countTokenStates } from './tokens/status/statusCounts.ts';
import { planRefreshes } from './workers/planState.ts';

/**
 * Prometheus metrics, read from the database at scrape time: refreshes happen in worker
 * processes, so counters in the web process would only see its own manual and debug calls.
 * Attempt counts are therefore a 24-hour window (a gauge), honest whichever replica is
 * scraped; everything else is a current state, counted in SQL (a scrape reads no account rows).
 */

export interface AppMetrics {
  registry: Registry;
  /**
   * eBay API proxy calls this web process answered, by status (eBay's, or the connector's own
   * refusal): the one counter kept in memory, since the proxy runs in the web process (each
   * replica counts its own calls; sum them).
   */
  proxyCalls: Counter<'status'>;
  contentType: string;
  render(): Promise<string>;
  /** One answered `/api/v1` request (services with an API key): its route and HTTP status. */
  countServiceRequest(route: string, status: number): void;
}

const attemptRow = z.object({ source: z.string(), outcome: z.string(), n: dbInt });
const loopRow = z.object({
  name: z.string(),
  interval_seconds: dbInt,
  age_s: dbNumber.nullable(),
  duration_ms: z.string().nullable(),
});

/** prom-client collects all gauges concurrently: gauges fed by one query share one load per scrape. */
function oncePerScrape<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: { at: number; value: Promise<T> } | null = null;
  return () => {
    if (!pending || Date.now() - pending.at > 1000) pending = { at: Date.now(), value: load() };
    return pending.value;
  };
}

/** The gauges of one collection share one load (they are collected at once); the next scrape loads afresh. */
function inFlightShared<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    // prom-client starts every gauge's collect in the same tick, so all of them get this promise.
    pending ??= load().finally(() => {
      pending = null;
    });
    return pending;
  };
}

export function createMetrics(ctx: AppContext): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });

  gauge(
    'ebay_token_refresh_attempts_last_24h',
    'Token refresh attempts in the last 24 hours by outcome (success or error code) and source',
    ['outcome', 'source'],
    async (g) => {
      const since = new Date(ctx.now().getTime() - 24 * 3600 * 1000).toISOString();
      const rows = await queryRows(
        ctx.db,
        sql`select triggered_by as source,
                   case when success then 'success' else coalesce(error_code, 'unknown') end as outcome,
                   count(*) as n
            from ebay_token_refresh_logs where started_at > ${since}::timestamptz group by 1, 2`,
        attemptRow,
      );
      for (const r of rows) g.set({ outcome: r.outcome, source: r.source }, r.n);
    },
  );

  const loops = oncePerScrape(() =>
    queryRows(
      ctx.db,
      sql`select name, interval_seconds,
                 extract(epoch from (${ctx.now().toISOString()}::timestamptz
                   - coalesce(last_finished_at, last_started_at))) as age_s,
                 (last_summary ->> 'duration_ms') as duration_ms
          from background_workers`,
      loopRow,
    ),
  );
  gauge(
    'background_loop_heartbeat_age_seconds',
    'Seconds since the loop last finished a cycle',
    ['loop'],
    async (g) => {
      for (const r of await loops()) if (r.age_s !== null) g.set({ loop: r.name }, r.age_s);
    },
  );
  gauge(
    'background_loop_interval_seconds',
    'Interval of the loop; stale past 3 of these',
    ['loop'],
    async (g) => {
      for (const r of await loops()) g.set({ loop: r.name }, r.interval_seconds);
    },
  );
  gauge(
    'background_loop_last_cycle_duration_seconds',
    "Duration of the loop's last cycle",
    ['loop'],
    async (g) => {
      for (const r of await loops()) {
        if (r.duration_ms !== null && Number.isFinite(Number(r.duration_ms))) {
          g.set({ loop: r.name }, Number(r.duration_ms) / 1000);
        }
      }
    },
  );

  gauge('ebay_accounts_by_token_state', 'eBay accounts by derived token state', ['state'], async (g) => {
    const now = ctx.now();
    const state = tokenStateSql(now, ctx.env.TOKEN_REFRESH_THRESHOLD_SECONDS);
    const { counts } = await countTokenStates(ctx.db, undefined, state, now);
    for (const [name, n] of Object.entries(counts)) g.set({ state: name }, n);
  });
  gauge(
    'ebay_token_seconds_until_soonest_expiry',
    'Seconds until the soonest access-token expiry among active accounts (negative: expired; NaN: none)',
    [],
    async (g) => {
      const soonest = await soonestAccessExpiry(ctx.db);
      // NaN, not 0, when no active account has an access token: 0 would read as "expiring now".
      g.set(soonest ? (soonest.getTime() - ctx.now().getTime()) / 1000 : Number.NaN);
    },
  );

  // The refresh plan (docs/OPERATIONS.md, "Refresh plan"): deployment-wide, as the next cycle makes it.
  const plan = inFlightShared(async () => (await planRefreshes(ctx, ctx.now(), { apply: false })).status);
  gauge(
    'ebay_refresh_plan_accounts',
    'Active accounts the refresh plan keeps warm, and those it leaves to on-demand refreshes',
    ['set'],
    async (g) => {
      const p = await plan();
      g.set({ set: 'warm' }, p.warm);
      g.set({ set: 'on_demand' }, p.on_demand);
    },
  );
  gauge(
    'ebay_token_endpoint_calls_last_24h',
    "Calls to eBay's token endpoint in the last 24 hours by grant type",
    ['grant_type'],
    async (g) => {
      for (const [grant, n] of Object.entries((await plan()).used_24h)) g.set({ grant_type: grant }, n);
    },
  );
  gauge(
    'ebay_refresh_calls_projected_24h',
    'Refresh-token calls the plan projects for the next 24 hours (EBAY_DAILY_REFRESH_LIMIT: ebay_refresh_daily_limit)',
    [],
    async (g) => g.set((await plan()).projected_24h),
  );
  gauge('ebay_refresh_daily_limit', 'EBAY_DAILY_REFRESH_LIMIT', [], async (g) => g.set((await plan()).limit));
  gauge(
    'ebay_refresh_paused',
    "1 while warm refreshes are paused after a 429 from eBay's token endpoint",
    [],
    async (g) => g.set((await plan()).paused_until ? 1 : 0),
  );

  // Counted by this web process (Prometheus sums the replicas). Refreshes services caused are
  // `source="on_demand"` in the attempts gauge.
  const serviceRequests = new Counter({
    name: 'ebay_service_requests_total',
    help: 'Requests of services (/api/v1, API key) answered by this process, by route and HTTP status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const proxyCalls = new Counter({
    name: 'ebay_service_proxy_calls_total',
    help: 'eBay API proxy calls answered by this web process, by HTTP status',
    labelNames: ['status'],
    registers: [registry],
  });
  return {
    registry,
    proxyCalls,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    countServiceRequest: (route, status) => serviceRequests.inc({ route, status: String(status) }),
  };
}
