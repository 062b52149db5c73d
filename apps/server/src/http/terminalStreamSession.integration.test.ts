import type { AddressInfo } from 'node:net';
import type { LogEntry } from '@ebay-connector/contracts';
import { writeConnectLog } from '../logs/connectLog.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, signedInClient, useHarness } from '../test/harness.ts';
import { openSse, type SseConnection, type SseEvent } from '../test/sseClient.ts';

const STREAM = '/api/admin/ebay/tokens/terminal-stream';
const entriesOf = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'entry').map((e) => JSON.parse(e.data) as LogEntry);

/** A stream lives only as long as its session (issue 15, failure 2), and a session opens at most 5. */
describeEachDb('terminal stream and its session', (getDb) => {
  // The production re-check interval (2 s): what a user of the console gets.
  const h = useHarness(getDb, { streamPollMs: 100 });
  let base: string;
  let admin: Client;
  let accountId: string;
  const open: SseConnection[] = [];
  beforeAll(async () => {
    await h().app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h().app.server.address() as AddressInfo).port}`;
    admin = await signedInClient(h());
    accountId = (await buildAccount(h().ctx, h().sim, { orgId: admin.orgId })).accountId;
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(() => h().app.server.closeAllConnections());
  const connect = async (client: Client) => {
    const c = await openSse(`${base}${STREAM}`, { cookie: client.cookie });
    open.push(c);
    return c;
  };
  const writeEntry = () =>
    writeConnectLog(h().ctx.db, {
      orgId: admin.orgId,
      accountId,
      environment: 'production',
      action: 'token_refreshed',
      source: 'scheduled',
    });

  /** Ends within 5 s of `endSession`, says why, and delivers nothing written afterwards. */
  const expectEndsWithSession = async (client: Client, endSession: () => Promise<unknown>) => {
    const stream = await connect(client);
    expect(stream.status).toBe(200);
    const before = await writeEntry();
    await stream.waitFor((e) => entriesOf(e).some((x) => x.id === before));
    await endSession();
    const started = Date.now();
    const outcome = await Promise.race([
      stream.ended.then(() => 'ended'),
      new Promise((r) => setTimeout(() => r('still open'), 5000)),
    ]);
    expect(outcome).toBe('ended');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stream.events.at(-1)).toMatchObject({ event: 'error' });
    expect(JSON.parse(stream.events.at(-1)!.data)).toMatchObject({ code: 'session_ended' });
    const after = await writeEntry();
    await new Promise((r) => setTimeout(r, 300));
    expect(entriesOf(stream.events).map((x) => x.id)).not.toContain(after);
  };

  it('ends within 5 seconds of logout', async () => {
    const user = await signedInClient(h(), { orgId: admin.orgId, role: 'viewer' });
    await expectEndsWithSession(user, () => user.post('/api/auth/logout'));
  });

  it('ends within 5 seconds of its user being disabled, and of being removed from the org', async () => {
    const disabled = await signedInClient(h(), { orgId: admin.orgId, role: 'viewer' });
    const removed = await signedInClient(h(), { orgId: admin.orgId, role: 'viewer' });
    await Promise.all([
      expectEndsWithSession(disabled, async () => {
        const res = await admin.post(`/api/admin/users/${disabled.user.userId}/disable`);
        expect(res.statusCode).toBe(200);
      }),
      expectEndsWithSession(removed, async () => {
        const res = await admin.post(`/api/admin/users/${removed.user.userId}/remove`);
        expect(res.statusCode).toBe(200);
      }),
    ]);
  });

  it('opens at most 5 streams per session: the 6th gets 429 with a clear message', async () => {
    const user = await signedInClient(h(), { orgId: admin.orgId });
    const five = await Promise.all([1, 2, 3, 4, 5].map(() => connect(user)));
    expect(five.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await fetch(`${base}${STREAM}`, { headers: { cookie: user.cookie } });
    expect(sixth.status).toBe(429);
    expect(await sixth.json()).toMatchObject({
      error: { code: 'rate_limited', message: expect.stringMatching(/already has 5 live streams/) },
    });
    // Another session of the same user is not affected; closing a stream frees its slot.
    const other = await signedInClient(h(), { orgId: admin.orgId });
    expect((await connect(other)).status).toBe(200);
    five[0]!.close();
    await expect
      .poll(async () => {
        const again = await openSse(`${base}${STREAM}`, { cookie: user.cookie });
        open.push(again);
        return again.status;
      })
      .toBe(200);
  });
});
