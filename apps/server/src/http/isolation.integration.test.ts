import { randomUUID } from 'node:crypto';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, PUBLIC_URL, signedInClient, useHarness } from '../test/harness.ts';
import { API_ROUTES } from '../test/routeTable.ts';

describeEachDb('sessions and org isolation on every route', (getDb) => {
  const h = useHarness(getDb);
  let mine: Client;
  let theirs: Client;
  let theirAccountId: string;
  let myAccountId: string;
  beforeAll(async () => {
    mine = await signedInClient(h());
    theirs = await signedInClient(h());
    myAccountId = (await buildAccount(h().ctx, h().sim, { orgId: mine.orgId, houseName: 'Mine' })).accountId;
    theirAccountId = (await buildAccount(h().ctx, h().sim, { orgId: theirs.orgId, houseName: 'Theirs' }))
      .accountId;
    // Give the other org some history to leak.
    await theirs.post(`/api/admin/ebay/accounts/${theirAccountId}/refresh`);
    await theirs.post(`/api/admin/ebay/accounts/${theirAccountId}/token-info`);
  });

  it.each(API_ROUTES.map((r) => [r.name, r] as const))(
    '%s answers 401 without a session',
    async (_name, route) => {
      const res = await h().app.inject({
        method: route.method,
        url: route.url(myAccountId),
        headers: { origin: PUBLIC_URL, 'content-type': 'application/json' },
        payload: JSON.stringify(route.body?.(myAccountId) ?? {}),
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    },
  );

  const scoped = API_ROUTES.filter((r) => r.accountScoped);
  it.each(scoped.map((r) => [r.name, r] as const))(
    "%s answers another org's account id exactly like a missing one (404)",
    async (_name, route) => {
      const send = (id: string) =>
        route.method === 'GET'
          ? mine.get(route.url(id))
          : mine[route.method === 'PATCH' ? 'patch' : 'post'](route.url(id), route.body?.(id) ?? {});
      const foreign = await send(theirAccountId);
      const missing = await send(randomUUID());
      expect(foreign.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect(foreign.body).toBe(missing.body);
      expect(foreign.json()).toEqual({ error: { code: 'not_found', message: 'eBay account not found' } });
    },
  );

  it('lists only the caller org accounts, statuses and logs', async () => {
    const bodies = await Promise.all([
      mine.get('/api/admin/ebay/accounts'),
      mine.get('/api/admin/ebay/tokens/status'),
      mine.get('/api/admin/ebay/tokens/logs'),
      mine.get('/api/admin/ebay/tokens/terminal-logs?kind=all'),
      mine.get('/api/admin/ebay/workers/loop-status'),
    ]);
    for (const res of bodies) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(theirAccountId);
      expect(res.body).not.toContain('Theirs');
    }
    expect(bodies[0]!.json().accounts.map((a: { id: string }) => a.id)).toEqual([myAccountId]);
    const theirLogs = (await theirs.get('/api/admin/ebay/tokens/logs')).json().logs;
    expect(theirLogs.length).toBeGreaterThanOrEqual(2);
  });
});
