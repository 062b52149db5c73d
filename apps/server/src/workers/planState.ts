import type { RefreshHour, RefreshPlanStatus, RefreshPlanView } from '@ebay-connector/contracts';
import type { AppContext } from '../context.ts';
import { readRefreshPause } from '../tokens/sql/refreshPause.ts';
import { applyWarmSet, countAccountsByPolicy, countOrgWarmSet } from '../tokens/sql/refreshPlan.ts';
import { countRefreshCallsByHour, HOUR_MS, measureGrantUsage, QUOTA_WARNING_RATIO } from './quota.ts';
import { computeRefreshPlan, planSettingsOf } from './refreshPlan.ts';

/**
 * The refresh plan with the quota it runs against: what a cycle plans under (`apply`: it also
 * writes the warm set the claim reads) and what the Workers page shows. Throws on database
 * trouble, so a cycle that cannot plan refreshes nothing rather than everything.
 */
export async function planRefreshes(
  ctx: Pick<AppContext, 'db' | 'env'>,
  now: Date,
  opts: { apply: boolean },
): Promise<RefreshPlanStatus> {
  const defaultPolicy = ctx.env.TOKEN_REFRESH_POLICY;
  const counts = await countAccountsByPolicy(ctx.db, defaultPolicy);
  const plan = computeRefreshPlan(planSettingsOf(ctx.env), counts);
  if (opts.apply) await applyWarmSet(ctx.db, { defaultPolicy, autoWarm: plan.auto_warm });
  const [usage, pausedUntil] = await Promise.all([
    measureGrantUsage(ctx.db, now),
    readRefreshPause(ctx.db, now),
  ]);
  const projected = plan.projected_warm_calls + usage.refresh_token_unscheduled;
  return {
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
    budget_reached: usage.refresh_token >= plan.budget,
    paused_until: pausedUntil?.toISOString() ?? null,
  };
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
  const plan = await planRefreshes(ctx, now, { apply: false });
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
