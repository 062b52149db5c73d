import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import type { FastifyInstance } from 'fastify';
import { createTestContext, type TestContext } from '../test/appContext.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount, buildOrg, buildUser } from '../test/factories.ts';
import { type Client, clientFor, login, PUBLIC_URL, sessionCookieOf } from '../test/harness.ts';
import { waitFor } from '../test/waitFor.ts';
import { buildHttpApp } from './app.ts';

/** Issue 11, what the operator sees: the Workers table's "last used by a service" (time and key name). */

describeEachDb('last used by a service, on the token status rows', (getDb) => {
  let ctx: TestContext;
  let sim: EbaySim;
  let app: FastifyInstance;

  beforeAll(async () => {
    sim = await startEbaySim();
    ctx = createTestContext(getDb(), sim);
    app = await buildHttpApp(ctx, { publicUrl: PUBLIC_URL });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const signIn = async (orgId: string, role: 'admin' | 'viewer'): Promise<Client> => {
    const user = await buildUser(ctx.db, { orgId, role });
    return clientFor(app, sessionCookieOf(await login(app, user.email, user.password)), user, orgId);
  };

  it("shows when a key last asked for an account's token and the key's name, to viewers too, per org", async () => {
    const org = await buildOrg(ctx.db);
    const admin = await signIn(org.id, 'admin');
    const viewer = await signIn(org.id, 'viewer');
    const other = await buildOrg(ctx.db);
    const otherViewer = await signIn(other.id, 'viewer');
    const used = await buildAccount(ctx, sim, { orgId: org.id, houseName: 'Used shop' });
    const unused = await buildAccount(ctx, sim, { orgId: org.id, houseName: 'Quiet shop' });
    const theirs = await buildAccount(ctx, sim, { orgId: other.id, houseName: 'Their shop' });
    const { key } = (
      await admin.post('/api/admin/api-keys', { name: 'order sync', scopes: ['tokens'] })
    ).json();

    const statusOf = async (client: Client) =>
      (await client.get('/api/admin/ebay/tokens/status')).json().accounts as {
        ebay_account_id: string;
        last_used_at: string | null;
        last_used_key_name: string | null;
      }[];
    const before = await statusOf(viewer);
    expect(before.map((r) => [r.ebay_account_id, r.last_used_at, r.last_used_key_name])).toEqual([
      [unused.accountId, null, null],
      [used.accountId, null, null],
    ]);

    const answer = await app.inject({
      method: 'POST',
      url: `/api/v1/ebay/accounts/${used.accountId}/access-token`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(answer.statusCode).toBe(200);
    // Another org's account: 404, and nothing recorded on it.
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/v1/ebay/accounts/${theirs.accountId}/access-token`,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(foreign.statusCode).toBe(404);

    // Written batched, off the answer's path.
    await waitFor(
      async () => (await statusOf(viewer)).some((r) => r.last_used_at !== null),
      3000,
      'last_used_at on the status row',
    );
    const after = await statusOf(viewer);
    expect(after.find((r) => r.ebay_account_id === used.accountId)).toMatchObject({
      last_used_at: expect.any(String),
      last_used_key_name: 'order sync',
    });
    expect(after.find((r) => r.ebay_account_id === unused.accountId)).toMatchObject({
      last_used_at: null,
      last_used_key_name: null,
    });
    expect(await statusOf(otherViewer)).toEqual([
      expect.objectContaining({
        ebay_account_id: theirs.accountId,
        last_used_at: null,
        last_used_key_name: null,
      }),
    ]);
  });
});
