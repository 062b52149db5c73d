import type { AddressInfo } from 'node:net';
import type { LogEntry } from '@ebay-connector/contracts';
import { type Database, openDatabase } from '../db/client.ts';
import { writeConnectLog } from '../logs/connectLog.ts';
import { createTestContext } from '../test/appContext.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, signedInClient, useHarness } from '../test/harness.ts';
import { openSse, type SseConnection, type SseEvent } from '../test/sseClient.ts';
import { refreshAccount } from '../tokens/refresh/refreshAccount.ts';

const entriesOf = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'entry').map((e) => JSON.parse(e.data) as LogEntry);

describeEachDb('terminal stream (Server-Sent Events)', (getDb, kind) => {
  const h = useHarness(getDb, { streamPollMs: 200, sseHeartbeatMs: 300 });
  let base: string;
  let admin: Client;
  let accountId: string;
  /** A second connection to the same database, as a worker process would have (PGlite: the same one). */
  let workerDatabase: Database | null = null;
  const open: SseConnection[] = [];
  beforeAll(async () => {
    await h().app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h().app.server.address() as AddressInfo).port}`;
    admin = await signedInClient(h());
    accountId = (await buildAccount(h().ctx, h().sim, { orgId: admin.orgId, houseName: 'Stream Shop' }))
      .accountId;
    const url = getDb().url;
    if (kind === 'postgres' && url) workerDatabase = await openDatabase({ databaseUrl: url, poolSize: 2 });
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => {
    await workerDatabase?.close();
    // fetch's connection pool may hold a socket that never carried a request; do not wait for its timeout.
    h().app.server.closeAllConnections();
  });
  const connect = async (query = '', headers: Record<string, string> = {}) => {
    const c = await openSse(`${base}/api/admin/ebay/tokens/terminal-stream${query}`, {
      cookie: admin.cookie,
      ...headers,
    });
    open.push(c);
    return c;
  };

  it('delivers, within 2 seconds, a refresh made by a separate worker instance', async () => {
    const stream = await connect();
    expect(stream.status).toBe(200);
    const workerCtx = createTestContext(workerDatabase ?? getDb(), h().sim, { instanceId: 'worker-2' });
    const result = await refreshAccount(workerCtx, accountId, { source: 'scheduled' });
    expect(result).toMatchObject({ kind: 'attempted', result: { ok: true } });
    const written = Date.now();
    const events = await stream.waitFor(
      (e) => entriesOf(e).some((x) => x.action === 'token_refreshed'),
      10_000,
    );
    expect(Date.now() - written).toBeLessThan(2000);
    const entry = entriesOf(events).find((x) => x.action === 'token_refreshed')!;
    expect(entry).toMatchObject({
      source: 'scheduled',
      ebay_account_id: accountId,
      house_name: 'Stream Shop',
    });
    expect(entry.request?.body).toMatch(/refresh_token=v\^1\.1#/);
    expect(events.find((e) => e.event === 'entry')!.id).toBe(String(entry.id));
  });

  it("applies the filters per subscriber and never sends another org's entries", async () => {
    const debugOnly = await connect('?source=debug');
    const everything = await connect('?kind=all');
    const stranger = await signedInClient(h());
    const strangers = await openSse(`${base}/api/admin/ebay/tokens/terminal-stream?kind=all`, {
      cookie: stranger.cookie,
    });
    open.push(strangers);
    const db = workerDatabase?.db ?? h().ctx.db;
    const row = { orgId: admin.orgId, accountId, environment: 'production' as const };
    await writeConnectLog(db, { ...row, action: 'token_refreshed', source: 'scheduled' });
    await writeConnectLog(db, { ...row, action: 'token_refresh_debug', source: 'debug' });
    await writeConnectLog(db, { ...row, action: 'connect_started', source: 'connect' });
    await everything.waitFor((e) => entriesOf(e).length === 3);
    await debugOnly.waitFor((e) => entriesOf(e).length >= 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(entriesOf(debugOnly.events).map((e) => e.action)).toEqual(['token_refresh_debug']);
    expect(entriesOf(strangers.events)).toEqual([]);
    expect(strangers.comments).toContain('connected');
  });

  it('sends heartbeat comments and resumes after Last-Event-ID with what was missed', async () => {
    const first = await connect();
    const db = workerDatabase?.db ?? h().ctx.db;
    const row = { orgId: admin.orgId, accountId, environment: 'production' as const };
    await writeConnectLog(db, { ...row, action: 'token_refreshed', source: 'manual' });
    const [seen] = entriesOf(await first.waitFor((e) => entriesOf(e).length === 1));
    await first.waitFor(() => first.comments.includes('heartbeat'));
    first.close();

    const missedA = await writeConnectLog(db, {
      ...row,
      action: 'token_refresh_failed',
      source: 'scheduled',
    });
    const missedB = await writeConnectLog(db, { ...row, action: 'token_refreshed', source: 'scheduled' });
    const resumed = await connect('', { 'last-event-id': String(seen!.id) });
    const events = await resumed.waitFor((e) => entriesOf(e).length >= 2);
    expect(entriesOf(events).map((e) => e.id)).toEqual([missedA, missedB]);
    const live = await writeConnectLog(db, { ...row, action: 'token_refreshed', source: 'scheduled' });
    await resumed.waitFor((e) => entriesOf(e).some((x) => x.id === live));
    expect(entriesOf(resumed.events).map((e) => e.id)).toEqual([missedA, missedB, live]);
  });
});
