import { z } from 'zod';
import { defineEndpoint } from './endpoint.ts';

export const loopReplicaSchema = z.object({
  instance_id: z.string(),
  next_cycle_at: z.string().nullable(),
  last_seen_at: z.string(),
});

export const runRequestSchema = z.object({
  requested_at: z.string().nullable(),
  /** The admin who asked, shown to their own org only (null for another org's request or the CLI's). */
  requested_by: z.string().nullable(),
  /** When a replica took the latest request and which one; a cycle started then. */
  taken_at: z.string().nullable(),
  taken_by: z.string().nullable(),
});

export const loopStatusSchema = z.object({
  name: z.string(),
  interval_seconds: z.number(),
  last_started_at: z.string().nullable(),
  last_finished_at: z.string().nullable(),
  last_status: z.enum(['running', 'ok', 'error']).nullable(),
  last_error: z.string().nullable(),
  stale: z.boolean(),
  last_summary: z.record(z.string(), z.unknown()).nullable(),
  instance_id: z.string().nullable(),
  /** The soonest next cycle of any running replica (null when none reported one). */
  next_cycle_at: z.string().nullable(),
  /** The replicas that reported within the last three intervals, each with its next cycle. */
  replicas: z.array(loopReplicaSchema),
  /** The last "Run cycle now": pending until a replica takes it (`taken_at`). */
  run_request: runRequestSchema.nullable(),
});
export const refreshPolicyValueSchema = z.enum(['auto', 'warm', 'on_demand']);
export type RefreshPolicyValue = z.infer<typeof refreshPolicyValueSchema>;

/**
 * The refresh plan (issue 12): how many accounts the worker keeps warm within eBay's daily
 * refresh-token quota, and the quota itself. The quota figures are the keyset's, which every
 * org shares; in the API `warm` and `on_demand` count the org's own accounts (the cycle
 * summary, not shown to orgs, holds the deployment's).
 */
export const refreshPlanSchema = z.object({
  /** TOKEN_REFRESH_POLICY: the policy of accounts without one of their own. */
  default_policy: refreshPolicyValueSchema,
  warm: z.number(),
  on_demand: z.number(),
  /** EBAY_DAILY_REFRESH_LIMIT, and the warm budget: the limit less EBAY_REFRESH_RESERVE percent. */
  limit: z.number(),
  budget: z.number(),
  reserve_percent: z.number(),
  calls_per_warm_account: z.number(),
  /** Token-endpoint calls of the last 24 h, by grant type. */
  used_24h: z.object({
    refresh_token: z.number(),
    authorization_code: z.number(),
    client_credentials: z.number(),
  }),
  /** Refresh calls expected in the next 24 h: the warm set's, plus the last 24 h's on-demand ones. */
  projected_24h: z.number(),
  /** Used or projected refresh calls past 80 % of the limit. */
  warning: z.boolean(),
  /** The last 24 h used the warm budget: warm refreshes stop, the reserve is left for on-demand ones. */
  budget_reached: z.boolean(),
  /** eBay's token endpoint answered 429: warm refreshes wait until then. */
  paused_until: z.string().nullable(),
});
export type RefreshPlanStatus = z.infer<typeof refreshPlanSchema>;

/**
 * One hour of the Refresh plan card's chart (UTC clock hours, `hour` = its start): the refresh
 * calls counted in it (the 24 hours up to now, the current one partial) or those the plan
 * projects for it (the next 24 hours). The other figure is null.
 */
export const refreshHourSchema = z.object({
  hour: z.string(),
  calls: z.number().nullable(),
  projected: z.number().nullable(),
});
export type RefreshHour = z.infer<typeof refreshHourSchema>;

/** The plan as the Workers page gets it: with the keyset's calls per hour (48 entries, oldest first). */
export const refreshPlanViewSchema = refreshPlanSchema.extend({
  /** Defaulted for answers that predate it. */
  hourly: z.array(refreshHourSchema).default([]),
});
export type RefreshPlanView = z.infer<typeof refreshPlanViewSchema>;

export const loopStatusResponse = z.object({
  loops: z.array(loopStatusSchema),
  /** Always sent by the server; defaulted for answers that predate it. */
  refresh_plan: refreshPlanViewSchema.nullable().default(null),
});
export type LoopStatus = z.infer<typeof loopStatusSchema>;

/** One org's part of a token refresh cycle (`by_org[org_id]`): the API shows each org only its own. */
export const orgCycleSummarySchema = z.object({
  due: z.number(),
  refreshed: z.number(),
  failed: z.number(),
  failed_by_code: z.record(z.string(), z.number()),
});
export type OrgCycleSummary = z.infer<typeof orgCycleSummarySchema>;

/**
 * What one token refresh cycle did, as written to `last_summary` and the cycle log entry.
 * The optional fields are always written by the worker (workers/cycleSummary.ts); they are
 * optional here only so older rows still parse.
 */
export const cycleSummarySchema = z.object({
  cycle_id: z.string(),
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: z.number(),
  checked: z.number(),
  due: z.number(),
  refreshed: z.number(),
  failed: z.number(),
  failed_by_code: z.record(z.string(), z.number()),
  skipped: z.number(),
  circuit_open: z.boolean(),
  quota: z.object({
    calls_24h: z.number(),
    projected_daily: z.number(),
    limit: z.number(),
    warning: z.boolean(),
    calls_1h: z.number().optional(),
  }),
  /** Client-credentials calls (the application token) of the last 24 h, against their own daily limit. */
  app_token_quota: z.object({ calls_24h: z.number(), limit: z.number(), warning: z.boolean() }).optional(),
  instance_id: z.string().optional(),
  /** Why claimed accounts were left unfinished: lease_lost, circuit_open, shutdown, already_processed. */
  skipped_by_reason: z.record(z.string(), z.number()).optional(),
  /** Refresh calls made (first attempts and in-cycle retries) and how many of them were retries. */
  attempts: z.number().optional(),
  retries: z.number().optional(),
  /** Why the circuit opened: eBay unavailable (5xx/429/network/timeouts) or wrong app credentials. */
  circuit_reason: z.enum(['ebay_unavailable', 'invalid_client']).nullable().optional(),
  /** The cycle was cut short by a shutdown (SIGTERM); in-flight refreshes were finished. */
  aborted: z.boolean().optional(),
  retention: z.object({ connect_logs_deleted: z.number(), refresh_logs_deleted: z.number() }).optional(),
  by_org: z.record(z.string(), orgCycleSummarySchema).optional(),
  /**
   * The refresh plan this cycle ran under (null when it stopped before planning). Stored with the
   * deployment's warm and on-demand counts; the API shows an org the keyset's quota figures with
   * its own counts (`plan_by_org`, server-side like `by_org`).
   */
  plan: refreshPlanSchema.nullable().optional(),
  /**
   * The worker's short claim passes since the previous cycle (warm tokens refreshed shortly
   * before expiry): their counts are included in due/refreshed/failed above.
   */
  claim_passes: z
    .object({ passes: z.number(), due: z.number(), refreshed: z.number(), failed: z.number() })
    .optional(),
  plan_by_org: z.record(z.string(), z.object({ warm: z.number(), on_demand: z.number() })).optional(),
});
export type CycleSummary = z.infer<typeof cycleSummarySchema>;

export const loopNameParams = z.object({
  name: z.string().regex(/^[a-z_]{1,64}$/, 'name must be a loop name such as token_refresh_worker'),
});
export const runCycleResponse = z.object({ loop: loopStatusSchema });

export const workersEndpoints = {
  loopStatus: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/workers/loop-status',
    access: 'signed_in',
    tag: 'workers',
    summary: 'Heartbeats of the background loops, with the stale flag',
    response: loopStatusResponse,
  }),
  runCycle: defineEndpoint({
    method: 'POST',
    path: '/api/admin/ebay/workers/:name/run-cycle',
    access: 'admin',
    tag: 'workers',
    summary: 'Run cycle now: one worker replica takes the request from the database and starts a cycle',
    params: loopNameParams,
    response: runCycleResponse,
  }),
};
