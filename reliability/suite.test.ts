import { recordFigures } from './lib/figures.ts';
import { type SuiteEnv, startSuiteEnv, stopSuiteEnv } from './lib/suiteEnv.ts';
import { runLoadStage } from './stages/load.ts';

const LOAD_SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 60);

describe.sequential('reliability', () => {
  let env: SuiteEnv;
  beforeAll(async () => {
    env = await startSuiteEnv();
  });
  afterAll(async () => {
    await stopSuiteEnv(env);
  });

  it('load: 50 clients on tokens/status and terminal-logs during a 2,000-account cycle, zero errors', async () => {
    const r = await runLoadStage(env, { accounts: 2000, clients: 50, durationMs: LOAD_SECONDS * 1000, simLatencyMs: 20 });
    recordFigures('load', { ...r, errors: r.errors.length, first_errors: r.errors.slice(0, 5) });
    expect(r.errors).toEqual([]);
    expect(r.cyclesCompleted).toBeGreaterThanOrEqual(1);
    expect(r.failedRefreshesInWindow).toBe(0);
    expect(r.maxConcurrentRefreshesOfOneToken).toBe(1);
    expect(r.workerExit).toBe(0);
  });
});
