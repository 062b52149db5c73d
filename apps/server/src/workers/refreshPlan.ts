import type { Env } from '../config/env.ts';
import { MAX_JITTER_SECONDS } from '../tokens/connect/storeGrant.ts';
import { claimPassesEnabled, warmDueRule } from '../tokens/sql/dueSchedule.ts';
import type { PolicyCounts } from '../tokens/sql/refreshPlan.ts';

export type { PolicyCounts, RefreshPolicy } from '../tokens/sql/refreshPlan.ts';

/**
 * The refresh plan (issue 12): which accounts the worker keeps warm (refreshed ahead of expiry)
 * within eBay's daily refresh-token quota. Pure: the cycle counts the accounts per policy, this
 * sizes the warm set, and the SQL (tokens/sql/refreshPlan.ts) picks its members, most recently
 * used first. When everything fits, every account that is not `on_demand` is warm: a small
 * deployment refreshes exactly as before.
 */

/** eBay's user access tokens live two hours. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 7_200;

const DAY_SECONDS = 86_400;

export interface PlanSettings {
  /** EBAY_DAILY_REFRESH_LIMIT */
  dailyLimit: number;
  /** EBAY_REFRESH_RESERVE, percent */
  reservePercent: number;
  tokenLifetimeSeconds: number;
  thresholdSeconds: number;
  /** How often a due token is looked for: the claim interval, or the cycle's without claim passes. */
  intervalSeconds: number;
  /** The mean per-account jitter added to the threshold. */
  meanJitterSeconds: number;
}

export interface RefreshPlan {
  limit: number;
  /** The warm budget: limit × (1 − reserve). */
  budget: number;
  /** Expected refresh calls per warm account per day. */
  calls_per_warm_account: number;
  /** How many warm accounts the budget carries. */
  capacity: number;
  /** Of the `auto` accounts, how many stay warm (the most recently used ones). */
  auto_warm: number;
  warm: number;
  on_demand: number;
  /** Warm refresh calls per day under this plan. */
  projected_warm_calls: number;
}

/** With claim passes (tokens/sql/dueSchedule.ts) tokens are looked at every claim interval, with the short margin. */
export function planSettingsOf(env: Env): PlanSettings {
  const rule = warmDueRule(env);
  return {
    dailyLimit: env.EBAY_DAILY_REFRESH_LIMIT,
    reservePercent: env.EBAY_REFRESH_RESERVE,
    tokenLifetimeSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
    thresholdSeconds: rule.thresholdSeconds,
    intervalSeconds: claimPassesEnabled(env)
      ? Math.min(env.TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS, env.TOKEN_REFRESH_INTERVAL_SECONDS)
      : env.TOKEN_REFRESH_INTERVAL_SECONDS,
    meanJitterSeconds: MAX_JITTER_SECONDS / 2 / (rule.jitterDivisor ?? 1),
  };
}

/**
 * A warm token is refreshed when it comes due (threshold + jitter before expiry), on average
 * half a cycle later: one call per (lifetime − threshold − jitter + interval / 2) seconds. A
 * threshold at or past the lifetime refreshes the token every cycle.
 */
export function callsPerWarmAccount(s: PlanSettings): number {
  const period = s.tokenLifetimeSeconds - s.thresholdSeconds - s.meanJitterSeconds + s.intervalSeconds / 2;
  return DAY_SECONDS / Math.max(s.intervalSeconds, period);
}

export function computeRefreshPlan(s: PlanSettings, counts: PolicyCounts): RefreshPlan {
  const budget = Math.floor((s.dailyLimit * (100 - s.reservePercent)) / 100);
  const perAccount = callsPerWarmAccount(s);
  const capacity = Math.floor(budget / perAccount);
  // `warm` accounts are warm whatever the budget; `auto` ones fill what is left.
  const autoWarm = Math.max(0, Math.min(counts.auto, capacity - counts.warm));
  const warm = counts.warm + autoWarm;
  return {
    limit: s.dailyLimit,
    budget,
    calls_per_warm_account: Math.round(perAccount * 100) / 100,
    capacity,
    auto_warm: autoWarm,
    warm,
    on_demand: counts.on_demand + counts.auto - autoWarm,
    projected_warm_calls: Math.round(warm * perAccount),
  };
}
