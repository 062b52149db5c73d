import { createTestContext, type TestContext, useSim } from '../test/appContext.ts';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../test/db.ts';
import { waitFor } from '../test/waitFor.ts';
import {
  buildDueAccounts,
  clearWorkerTables,
  cycleLogEntries,
  expectTokensIntact,
  readTokenRows,
} from '../test/workerFixtures.ts';
import { createTokenRefreshWorker } from './tokenRefreshWorker.ts';

const TRANSIENT = ['ebay_unavailable', 'rate_limited', 'timeout', 'network_error'];

// The slowest test of the worker: run once, on PostgreSQL when there is one (production), else PGlite.
const kind = DB_KINDS.at(-1)!;

describe(`token refresh worker under a fault mix [${kind}]`, () => {
  const getSim = useSim();
  let database: TestDatabase;
  let ctx: TestContext;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  beforeEach(async () => {
    ctx = createTestContext(database, getSim());
    // The sim's "timeout" fault never answers: a short client timeout keeps the test quick.
    ctx = { ...ctx, ebay: { ...ctx.ebay, timeoutMs: 1000 } };
    await clearWorkerTables(ctx.db);
  });

  afterEach(() => getSim().control.reset());

  it('20 % 5xx, 5 % 429, 5 % timeouts: ≥ 97 % refreshed, the rest classified, no token lost', async () => {
    const accounts = await buildDueAccounts(ctx, getSim(), 600, { orgCount: 3 });
    getSim().control.resetCounters();
    getSim().control.setFaults({ rate5xx: 0.2, rate429: 0.05, retryAfterSeconds: 1, rateTimeout: 0.05 });

    const controller = new AbortController();
    const loop = createTokenRefreshWorker({
      intervalSeconds: 3600,
      concurrency: 24,
      retry: { baseDelayMs: 20, maxDelayMs: 200 },
    }).start(ctx, { signal: controller.signal });
    await waitFor(() => loop.stats().lastStatus === 'ok' || loop.stats().errors > 0, 90_000, 'the cycle');
    expect(loop.stats()).toMatchObject({ cycles: 1, errors: 0, lastStatus: 'ok' });
    controller.abort();
    await loop.done;

    const counters = getSim().control.counters();
    const rows = await readTokenRows(ctx.db);
    const refreshed = rows.filter((r) => r.last_refresh_success === true);
    const [entry] = await cycleLogEntries(ctx.db);
    const summary = entry!.summary;
    expect(summary).toMatchObject({ due: 600, refreshed: refreshed.length, circuit_open: false });
    expect(summary.retries).toBeGreaterThan(0);
    for (const code of Object.keys(summary.failed_by_code)) expect(TRANSIENT).toContain(code);
    // An account fails all 5 attempts with p = 0.3^5: 1.5 of 600 expected. 97 % (18 failures)
    // has odds below 1e-12 by chance; 99 % failed one run in 1,300.
    expect(refreshed.length / accounts.length).toBeGreaterThanOrEqual(0.97);
    // Faults happened and were retried.
    expect(counters.refreshCalls).toBeGreaterThan(accounts.length * 1.2);
    for (const row of rows) {
      expect(row.lease_owner).toBeNull();
      if (row.last_refresh_success) {
        expect(row.next_attempt_at).toBeNull();
        expect(row.version).toBe(2);
      } else {
        expect(TRANSIENT).toContain(row.last_error_code);
        expect(row.next_attempt_at).not.toBeNull();
      }
    }
    // Every refresh token still decrypts to what eBay issued; every access token is a real one.
    expectTokensIntact(ctx, accounts, rows);
  }, 120_000);
});
