import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, openDatabase, queryRows } from '../db/client.ts';
import { createTestContext, type TestContext } from '../test/appContext.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { startTcpProxy, type TcpProxy } from '../test/tcpProxy.ts';
import { waitFor } from '../test/waitFor.ts';
import { buildDueAccounts, readTokenRows } from '../test/workerFixtures.ts';
import { createTokenRefreshWorker } from './tokenRefreshWorker.ts';

/**
 * PostgreSQL goes away under a running worker (a proxy between them is taken down) and
 * comes back: cycles fail with last_status=error, the loop keeps going, and it recovers by
 * itself without a restart.
 */
describe.skipIf(!process.env.DATABASE_URL)('token refresh worker during a database outage [postgres]', () => {
  let database: TestDatabase;
  let proxied: Database;
  let proxy: TcpProxy;
  let sim: EbaySim;
  let direct: TestContext;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    sim = await startEbaySim();
    const url = new URL(database.url!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(proxy.port);
    proxied = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
    direct = createTestContext(database, sim);
  });
  afterAll(async () => {
    await proxied?.close();
    await proxy?.stop();
    await sim?.close();
    await database?.close();
  });

  const heartbeat = async () =>
    (
      await queryRows(
        direct.db,
        sql`select last_status, last_error from background_workers where name = 'token_refresh_worker'`,
        z.looseObject({ last_status: z.string(), last_error: z.string().nullable() }),
      )
    )[0];

  it('fails cycles with last_status=error while it is down, and recovers by itself', async () => {
    await buildDueAccounts(direct, sim, 5);
    const ctx = createTestContext(proxied, sim, { instanceId: 'outage-worker' });
    const controller = new AbortController();
    const loop = createTokenRefreshWorker({
      intervalSeconds: 1.5, // the error heartbeat stays visible until the next cycle starts
      heartbeatRetries: 20,
      heartbeatRetryDelayMs: 100,
    }).start(ctx, { signal: controller.signal });
    try {
      await waitFor(async () => (await heartbeat())?.last_status === 'ok', 20_000, 'a first good cycle');
      expect((await readTokenRows(direct.db)).every((r) => r.last_refresh_success)).toBe(true);

      await proxy.stop();
      await waitFor(() => loop.stats().errors >= 2, 20_000, 'cycles failing during the outage');
      // Accounts keep coming due while the database is unreachable to the worker.
      await buildDueAccounts(direct, sim, 3);

      // Bring it back while a failed cycle is still trying to record itself.
      const failures = loop.stats().errors;
      await waitFor(() => loop.stats().errors > failures, 20_000, 'another failed cycle');
      await proxy.start();
      await waitFor(async () => (await heartbeat())?.last_status === 'error', 10_000, 'the error heartbeat');
      expect((await heartbeat())?.last_error).toMatch(/ECONNREFUSED|connect|terminated/i);

      await waitFor(
        async () => (await heartbeat())?.last_status === 'ok' && loop.stats().consecutiveErrors === 0,
        20_000,
        'recovery',
      );
      await waitFor(
        async () => (await readTokenRows(direct.db)).every((r) => r.last_refresh_success),
        20_000,
        'the accounts that came due during the outage to be refreshed',
      );
      expect(loop.stats().errors).toBeGreaterThanOrEqual(3);
      expect((await heartbeat())?.last_error).toBeNull();
    } finally {
      controller.abort();
      await loop.done;
    }
  }, 90_000);

  it('a transaction whose client went silent is ended by the server, so its row lock cannot block claims forever', async () => {
    const [account] = await buildDueAccounts(direct, sim, 1);
    const accountId = account!.accountId;
    const claimable = async () =>
      (
        await queryRows(
          direct.db,
          sql`select account_id from ebay_tokens where account_id = ${accountId} for update skip locked`,
          z.object({ account_id: z.string() }),
        )
      ).length;
    const frozen = await openDatabase({
      databaseUrl: database.url!,
      poolSize: 1,
      idleInTransactionTimeoutMs: 500,
    });
    const client = await frozen.pool!.connect();
    try {
      await client.query('begin');
      await client.query('select 1 from ebay_tokens where account_id = $1 for update', [accountId]);
      expect(await claimable()).toBe(0);
      // The client says nothing more, as a frozen worker would; the server ends its session.
      await waitFor(
        async () => (await claimable()) === 1,
        10_000,
        'the row lock to go with the silent transaction',
      );
    } finally {
      client.release(true);
      await frozen.close();
    }
  });
});
