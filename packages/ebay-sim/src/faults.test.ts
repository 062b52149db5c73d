import { type EbaySim, startEbaySim } from './server.ts';
import { postToken, refresh, TEST_SCOPES } from './test/httpClient.ts';
import { sha256Hex } from './tokenMaterial.ts';

let sim: EbaySim;
let refreshToken: string;

beforeAll(async () => {
  sim = await startEbaySim();
  refreshToken = sim.control.issueGrant().refresh_token;
});
afterAll(() => sim.close());

function refreshWithSignal(signal: AbortSignal) {
  const form = { grant_type: 'refresh_token', refresh_token: refreshToken, scope: TEST_SCOPES.join(' ') };
  return postToken(sim, form, { signal });
}
afterEach(() => {
  sim.control.reset();
  sim.control.resetCounters();
});

describe('failNext', () => {
  it('answers 5xx with JSON, then recovers', async () => {
    sim.control.failNext('5xx', 2);
    expect((await refresh(sim, refreshToken)).status).toBe(503);
    expect((await refresh(sim, refreshToken)).status).toBe(503);
    expect((await refresh(sim, refreshToken)).status).toBe(200);
  });

  it('answers 429 with a Retry-After header', async () => {
    sim.control.setFaults({ retryAfterSeconds: 7 });
    sim.control.failNext('429', 1);
    const res = await refresh(sim, refreshToken);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('answers a 502 HTML page for html5xx', async () => {
    sim.control.failNext('html5xx', 1);
    const res = await refresh(sim, refreshToken);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('Bad Gateway');
  });

  it('resets the connection', async () => {
    sim.control.failNext('reset', 1);
    await expect(refresh(sim, refreshToken)).rejects.toThrow();
    expect((await refresh(sim, refreshToken)).status).toBe(200);
  });

  it('holds the request until the client gives up', async () => {
    sim.control.failNext('timeout', 1);
    const started = Date.now();
    const call = refreshWithSignal(AbortSignal.timeout(300));
    await vi.waitFor(() => expect(sim.control.counters().inFlightRefreshes).toBe(1));
    await expect(call).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // The hung-up request no longer counts as in flight.
    await vi.waitFor(() => expect(sim.control.counters().inFlightRefreshes).toBe(0));
  });

  it('answers invalid_grant and invalid_client on demand, even for a good request', async () => {
    sim.control.failNext('invalid_grant', 1);
    sim.control.failNext('invalid_client', 1);
    const first = await refresh(sim, refreshToken);
    const second = await refresh(sim, refreshToken);
    expect([first.status, first.body.error]).toEqual([400, 'invalid_grant']);
    expect([second.status, second.body.error]).toEqual([401, 'invalid_client']);
  });
});

describe('setFaults', () => {
  it('applies random faults at the configured rate until reset', async () => {
    sim.control.setFaults({ rate5xx: 1 });
    expect((await refresh(sim, refreshToken)).status).toBe(503);
    sim.control.reset();
    expect((await refresh(sim, refreshToken)).status).toBe(200);
  });

  it('splits one roll across the fault kinds', async () => {
    const rolls = [0.05, 0.15, 0.5];
    const seeded = await startEbaySim({ random: () => rolls.shift() ?? 0.99 });
    try {
      seeded.control.setFaults({ rate5xx: 0.1, rate429: 0.1 });
      const token = seeded.control.issueGrant().refresh_token;
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await refresh(seeded, token)).status);
      expect(statuses).toEqual([503, 429, 200]);
    } finally {
      await seeded.close();
    }
  });

  it('rejects rates outside 0..1', () => {
    expect(() => sim.control.setFaults({ rateReset: 1.5 })).toThrow(RangeError);
  });
});

describe('counters', () => {
  it('counts refreshes per token and the overlap of concurrent refreshes of one token', async () => {
    sim.control.setLatency(150);
    await Promise.all([refresh(sim, refreshToken), refresh(sim, refreshToken)]);
    sim.control.setLatency(0);
    await refresh(sim, refreshToken);
    const counters = sim.control.counters();
    expect(counters).toMatchObject({
      tokenCalls: 3,
      refreshCalls: 3,
      codeExchanges: 0,
      maxConcurrentRefreshesOfOneToken: 2,
      inFlightRefreshes: 0,
      maxInFlightRefreshes: 2,
    });
    expect(counters.refreshCallsByToken).toEqual({ [sha256Hex(refreshToken)]: 3 });
  });

  it('does not count concurrent refreshes of different tokens as overlap', async () => {
    sim.control.setLatency(50);
    const other = sim.control.issueGrant().refresh_token;
    await Promise.all([refresh(sim, refreshToken), refresh(sim, other)]);
    expect(sim.control.counters()).toMatchObject({
      refreshCalls: 2,
      maxConcurrentRefreshesOfOneToken: 1,
      maxInFlightRefreshes: 2,
    });
  });
});
