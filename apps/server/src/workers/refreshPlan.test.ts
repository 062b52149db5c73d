import { parseEnv } from '../config/env.ts';
import {
  callsPerWarmAccount,
  computeRefreshPlan,
  type PlanSettings,
  planSettingsOf,
  warmCallsLeft,
} from './refreshPlan.ts';

const defaults: PlanSettings = planSettingsOf(parseEnv({}));

describe('refresh plan', () => {
  it('reads its settings from the environment: 50,000 a day, 20 % reserve, the claim passes’ schedule', () => {
    expect(defaults).toEqual({
      dailyLimit: 50_000,
      reservePercent: 20,
      tokenLifetimeSeconds: 7_200,
      thresholdSeconds: 180,
      intervalSeconds: 60,
      meanJitterSeconds: 15,
    });
    // 86,400 / (7,200 − 180 − 15 + 30) s
    expect(callsPerWarmAccount(defaults)).toBeCloseTo(12.281, 3);
  });

  it('with claim passes off, plans by the cycle grid as before', () => {
    const cycleOnly = planSettingsOf(parseEnv({ TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: '0' }));
    expect(cycleOnly).toMatchObject({ thresholdSeconds: 900, intervalSeconds: 600, meanJitterSeconds: 150 });
    // 86,400 / (7,200 − 900 − 150 + 300) s
    expect(callsPerWarmAccount(cycleOnly)).toBeCloseTo(13.395, 3);
  });

  it('keeps every account warm when everything fits (a small deployment changes nothing)', () => {
    const plan = computeRefreshPlan(defaults, { warm: 0, auto: 1_000, on_demand: 0 });
    expect(plan).toMatchObject({ budget: 40_000, warm: 1_000, auto_warm: 1_000, on_demand: 0 });
    expect(plan.projected_warm_calls).toBe(12_281);
  });

  it('at 20,000 accounts sizes the warm set to 95 % of the budget', () => {
    const plan = computeRefreshPlan(defaults, { warm: 0, auto: 20_000, on_demand: 0 });
    // 38,000 / 12.281 calls
    expect(plan).toMatchObject({ budget: 40_000, capacity: 3_094, warm: 3_094, on_demand: 16_906 });
    expect(plan.projected_warm_calls).toBeLessThanOrEqual(38_000);
  });

  it('on-demand calls beyond the reserve shrink the warm set', () => {
    const counts = { warm: 0, auto: 20_000, on_demand: 0 };
    // 12,000 on-demand calls: 2,000 past the reserve of 10,000 → (40,000 − 2,000) × 95 % / 12.281
    expect(computeRefreshPlan(defaults, counts, 2_000)).toMatchObject({ capacity: 2_939, warm: 2_939 });
    // More than the whole limit on demand: no warm account at all, never a negative count.
    expect(computeRefreshPlan(defaults, counts, 60_000)).toMatchObject({
      capacity: 0,
      warm: 0,
      on_demand: 20_000,
    });
  });

  it('warm calls left: on-demand calls use the reserve first, then the warm budget', () => {
    // 39,000 warm calls of a budget of 40,000; 5,000 on demand stay within the reserve of 10,000.
    expect(warmCallsLeft(defaults, { all: 44_000, unscheduled: 5_000 })).toBe(1_000);
    // 12,000 on demand: 2,000 past the reserve come out of the warm budget.
    expect(warmCallsLeft(defaults, { all: 42_000, unscheduled: 12_000 })).toBe(8_000);
    expect(warmCallsLeft(defaults, { all: 40_000, unscheduled: 0 })).toBe(0);
  });

  it('counts `warm` accounts first, never makes `on_demand` ones warm, and never goes negative', () => {
    expect(computeRefreshPlan(defaults, { warm: 2_000, auto: 5_000, on_demand: 300 })).toMatchObject({
      warm: 3_094,
      auto_warm: 1_094,
      on_demand: 300 + 3_906,
    });
    // More `warm` accounts than the budget carries: they stay warm, no `auto` one joins them.
    expect(computeRefreshPlan(defaults, { warm: 4_000, auto: 10, on_demand: 5 })).toMatchObject({
      warm: 4_000,
      auto_warm: 0,
      on_demand: 15,
    });
  });

  it('follows the limit and the reserve, and a threshold past the lifetime means a call every claim pass', () => {
    const raised = computeRefreshPlan(
      { ...defaults, dailyLimit: 100_000, reservePercent: 10 },
      { warm: 0, auto: 20_000, on_demand: 0 },
    );
    expect(raised).toMatchObject({ budget: 90_000, warm: 6_961 });
    expect(callsPerWarmAccount({ ...defaults, thresholdSeconds: 8_000 })).toBe(1_440);
  });
});
