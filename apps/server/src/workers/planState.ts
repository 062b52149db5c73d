import type { RefreshHour, RefreshPlanStatus, RefreshPlanView } from '@ebay-connector/contracts';
import type { AppContext } from '../context.ts';
import { countExpiredWarm } from '../tokens/sql/counts.ts';
import { readRefreshPause } from '../tokens/sql/refreshPause.ts';
import { applyWarmSet, countAccountsByPolicy, countOrgWarmSet } from '../tokens/sql/refreshPlan.ts';
import {
  countRefreshCallsByHour,
  countRefreshCallsBySource,
  HOUR_MS,
  measureGrantUsage,
  QUOTA_WARNING_RATIO,
} from './quota.ts';
import { computeRefreshPlan, overReserveOf, planSettingsOf, warmCallsLeft } from './refreshPlan.ts';

/** The plan a cycle or claim pass runs under: the status it reports, and what warm refreshes may still call. */
export interface CyclePlan {
  status: RefreshPlanStatus;
  /** The warm budget less the warm calls of the last 24 h (and on-demand calls beyond the reserve). */
  warmCallsLeft: number;
}

/**
 * The refresh plan with the quota it runs against: what a cycle plans under (`apply`: it also
 * writes the warm set the claim reads) and what the Workers page shows. Throws on database
 * trouble, so a cycle that cannot plan refreshes nothing rather than everything.
 */
export async function planRefreshes(
  ctx: Pick<AppContext, 'db' | 'env'>,
  now: Date,
  opts: { apply: boolean },
): Promise<CyclePlan> {
  const defaultPolicy = ctx.env.TOKEN_REFRESH_POLICY;
  const settings = planSettingsOf(ctx.env);
  const [counts, usage, pausedUntil] = await Promise.all([
    countAccountsByPolicy(ctx.db, defaultPolicy),
    measureGrantUsage(ctx.db, now),
    readRefreshPause(ctx.db, now),
  ]);
  const unscheduled = usage.refresh_token_unscheduled;
  const plan = computeRefreshPlan(settings, counts, overReserveOf(settings, unscheduled));
  if (opts.apply) await applyWarmSet(ctx.db, { defaultPolicy, autoWarm: plan.auto_warm });
  const projected = plan.projected_warm_calls + unscheduled;
  const left = warmCallsLeft(settings, { all: usage.refresh_token, unscheduled });
  const status: RefreshPlanStatus = {
    default_policy: defaultPolicy,
    warm: plan.warm,
    on_demand: plan.on_demand,
    limit: plan.limit,
    budget: plan.budget,
    reserve_percent: ctx.env.EBAY_REFRESH_RESERVE,
    calls_per_warm_account: plan.calls_per_warm_account,
    used_24h: {
      refresh_token: usage.refresh_token,
      authorization_code: usage.authorization_code,
      client_credentials: usage.client_credentials,
    },
    projected_24h: projected,
    warning: Math.max(projected, usage.refresh_token) > QUOTA_WARNING_RATIO * plan.limit,
    budget_reached: left <= 0,
    paused_until: pausedUntil?.toISOString() ?? null,
  };
  return { status, warmCallsLeft: left };
}

/**
 * The Workers page's view: the quota and the pause of the keyset every org shares, with the
 * warm and on-demand counts of the org's own accounts (other orgs' accounts are not counted),
 * and the keyset's refresh calls per hour for the card's chart.
 */
export async function refreshPlanForOrg(
  ctx: Pick<AppContext, 'db' | 'env'>,
  orgId: string,
  now: Date,
): Promise<RefreshPlanView> {
  const { status: plan } = await planRefreshes(ctx, now, { apply: false });
  const firstHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
  const [warmSet, counted] = await Promise.all([
    countOrgWarmSet(ctx.db, orgId),
    countRefreshCallsByHour(ctx.db, new Date(firstHour)),
  ]);
  return { ...plan, ...warmSet, hourly: hourlySeries(firstHour, counted, plan.projected_24h) };
}

/**
 * 48 clock hours from `firstHour`: the 24 up to the current one with the calls counted, then the
 * next 24 with the plan's projection spread evenly (the warm set's calls and the on-demand rate
 * of the last 24 h both run round the clock).
 */
export function hourlySeries(
  firstHour: number,
  counted: Map<number, number>,
  projected24h: number,
): RefreshHour[] {
  const perHour = Math.round(projected24h / 24);
  return Array.from({ length: 48 }, (_, i) => {
    const hour = firstHour + i * HOUR_MS;
    const past = i < 24;
    return {
      hour: new Date(hour).toISOString(),
      calls: past ? (counted.get(hour) ?? 0) : null,
      projected: past ? null : perHour,
    };
  });
}

/** What a cycle or claim pass may claim of warm accounts now, and why it is limited. */
export interface WarmAllowance {
  /** Claims allowed: what is left of the warm budget, or of the hour's share while catching up. */
  claims: number;
  /** Warm accounts whose access token has already expired (0 in steady state). */
  expiredWarm: number;
  /** The warm budget ÷ 24: what one hour may spend while catching up. */
  hourlyShare: number;
  /** Refresh calls of the last hour (every source), counted only while catching up. */
  callsLastHour: number;
  /** Of those, the on-demand and manual ones: what the coming hour is expected to need as well. */
  unscheduledLastHour: number;
}

/**
 * Catching up is paced (issue 12, "no refresh storm"): after the worker was down for hours, or a
 * clock jump, many warm tokens have expired at once. Refreshing them all in one cycle would spend
 * hours of budget in minutes and make them all fall due together again two hours later. While any
 * warm token has expired, warm claims are held to the hourly share of the budget (less what the
 * last hour already called, on-demand refreshes included), so catching up spreads over the
 * following cycles (the coming hour's on-demand refreshes, expected as many as in the last hour,
 * are left room too); expired accounts go first (the claim takes the soonest expiry first), and
 * services still get tokens on demand from the reserve. In steady state no warm token expires
 * and only the daily budget limits the claims.
 */
export async function warmAllowance(
  ctx: Pick<AppContext, 'db'>,
  plan: CyclePlan,
  now: Date,
): Promise<WarmAllowance> {
  const budgetLeft = plan.warmCallsLeft;
  const hourlyShare = Math.floor(plan.status.budget / 24);
  const expiredWarm = await countExpiredWarm(ctx.db, now);
  if (expiredWarm === 0)
    return { claims: budgetLeft, expiredWarm, hourlyShare, callsLastHour: 0, unscheduledLastHour: 0 };
  const lastHour = await countRefreshCallsBySource(ctx.db, new Date(now.getTime() - 3_600_000));
  return {
    claims: Math.min(budgetLeft, hourlyShare - lastHour.all - lastHour.unscheduled),
    expiredWarm,
    hourlyShare,
    callsLastHour: lastHour.all,
    unscheduledLastHour: lastHour.unscheduled,
  };
}
