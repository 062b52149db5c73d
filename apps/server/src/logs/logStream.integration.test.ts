import type { LogEntry } from '@ebay-connector/contracts';
import { TERMINAL_ACTIONS } from '@ebay-connector/contracts';
import { type Database, openDatabase } from '../db/client.ts';
import { describeEachDb } from '../test/db.ts';
import { buildOrg } from '../test/factories.ts';
import { waitFor } from '../test/waitFor.ts';
import { writeConnectLog } from './connectLog.ts';
import { LogStream } from './logStream.ts';

describeEachDb('LogStream: the shared poller', (getDb, kind) => {
  let orgId: string;
  beforeAll(async () => {
    orgId = (await buildOrg(getDb().db)).id;
  });
  const filter = () => ({ orgId, actions: TERMINAL_ACTIONS.all });
  const row = () => ({
    orgId,
    accountId: null,
    environment: 'production' as const,
    source: 'manual' as const,
  });

  it('serves many subscribers from one poller and stops when the last one leaves', async () => {
    const stream = new LogStream(getDb().db, { intervalMs: 50 });
    const a: LogEntry[] = [];
    const b: LogEntry[] = [];
    const stopA = await stream.subscribe(filter(), (e) => a.push(...e), null);
    const stopB = await stream.subscribe({ ...filter(), sources: ['debug'] }, (e) => b.push(...e), null);
    expect(stream.subscriberCount).toBe(2);
    await writeConnectLog(getDb().db, { ...row(), action: 'token_refreshed' });
    await writeConnectLog(getDb().db, { ...row(), action: 'token_refresh_debug', source: 'debug' });
    await waitFor(() => a.length === 2 && b.length === 1, 3000, 'both subscribers’ entries');
    stopA();
    stopB();
    expect(stream.subscriberCount).toBe(0);
    stream.close();
  });

  it.runIf(kind === 'postgres')('delivers a row whose id was skipped because it committed late', async () => {
    const url = getDb().url!;
    const other: Database = await openDatabase({ databaseUrl: url, poolSize: 2 });
    const stream = new LogStream(getDb().db, { intervalMs: 50 });
    const seen: number[] = [];
    const stop = await stream.subscribe(filter(), (e) => seen.push(...e.map((x) => x.id)), null);
    try {
      const client = await other.pool!.connect();
      try {
        await client.query('begin');
        const late = await client.query(
          `insert into ebay_connect_logs (org_id, action, source) values ($1, 'token_refreshed', 'scheduled') returning id`,
          [orgId],
        );
        const lateId = Number(late.rows[0].id);
        const early = await writeConnectLog(getDb().db, { ...row(), action: 'token_refreshed' });
        await waitFor(() => seen.includes(early), 3000, 'the early entry');
        await client.query('commit');
        await waitFor(() => seen.includes(lateId), 3000, 'the late entry');
        expect(seen).toEqual([early, lateId]);
      } finally {
        client.release();
      }
    } finally {
      stop();
      stream.close();
      await other.close();
    }
  });
});
