import type { AddressInfo } from 'node:net';
import { type EbaySim, ORDERS_PER_SELLER, startEbaySim } from '@ebay-connector/ebay-sim';
import { buildHttpApp, createApiKey } from '@ebay-connector/server';
import {
  buildAccount,
  buildOrg,
  createTestContext,
  describeEachDb,
} from '@ebay-connector/server/test-support';
import type { FastifyInstance } from 'fastify';
import { main } from '../examples/order-sync.ts';
import { createClient, EbayConnectorError } from './index.ts';

/** The client against a real connector (listening) and the simulator. */

describeEachDb('@ebay-connector/client', (getDb) => {
  let sim: EbaySim;
  let app: FastifyInstance;
  let ctx: ReturnType<typeof createTestContext>;
  let baseUrl: string;
  let key: string;
  let tokensOnly: string;
  let orgId: string;
  const accountIds: string[] = [];
  let otherOrgAccount: string;

  beforeAll(async () => {
    sim = await startEbaySim();
    ctx = createTestContext(getDb(), sim);
    app = await buildHttpApp(ctx, { publicUrl: 'http://app.test' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    orgId = (await buildOrg(ctx.db)).id;
    const mk = async (scopes: ('tokens' | 'proxy')[]) =>
      (await createApiKey(ctx.db, { orgId, name: `client ${scopes.join('+')}`, scopes, createdBy: null }))
        .key;
    key = await mk(['tokens', 'proxy']);
    tokensOnly = await mk(['tokens']);
    for (const houseName of ['Alpha shop', 'Beta shop'])
      accountIds.push((await buildAccount(ctx, sim, { orgId, houseName })).accountId);
    otherOrgAccount = (await buildAccount(ctx, sim, { orgId: (await buildOrg(ctx.db)).id })).accountId;
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  /** A client whose HTTP requests are counted. */
  function countingClient(apiKey = key, now?: () => number) {
    const calls: string[] = [];
    const counted: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    return { client: createClient({ baseUrl, apiKey, fetch: counted, ...(now ? { now } : {}) }), calls };
  }

  it("lists the key's org's accounts, with filters", async () => {
    const { client } = countingClient();
    const accounts = await client.accounts();
    expect(accounts.map((a) => a.house_name)).toEqual(['Alpha shop', 'Beta shop']);
    expect(accounts[0]).toMatchObject({ environment: 'production', status: 'active' });
    expect(await client.accounts({ env: 'sandbox' })).toEqual([]);
    expect((await client.accounts({ status: 'active' })).map((a) => a.ebay_account_id)).not.toContain(
      otherOrgAccount,
    );
  });

  it('keeps an access token in memory until it nears expiry', async () => {
    let clock = Date.now();
    const { client, calls } = countingClient(key, () => clock);
    const id = accountIds[0]!;
    const first = await client.accessToken(id);
    expect(first.accessToken).toMatch(/^v\^1\.1#/);
    expect(first.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3600_000);
    const [again, parallel] = await Promise.all([client.accessToken(id), client.accessToken(id)]);
    expect(again).toBe(first);
    expect(parallel).toBe(first);
    expect(calls).toHaveLength(1);
    // Closer to expiry than asked for: asked again.
    clock = first.expiresAt.getTime() - 200_000;
    await client.accessToken(id);
    expect(calls).toHaveLength(2);
    clock = Date.now();
    await client.accessToken(id, { minValidSeconds: 60 });
    expect(calls).toHaveLength(2);
  });

  it("calls eBay through the proxy; eBay's own errors come back as answers, the connector's refusals throw", async () => {
    const { client } = countingClient();
    const res = await client.ebayFetch(accountIds[0]!, '/sell/fulfillment/v1/order?limit=2');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { total: number }).total).toBe(ORDERS_PER_SELLER);
    const ebayError = await client.ebayFetch(accountIds[0]!, 'sell/fulfillment/v1/order?limit=0');
    expect(ebayError.status).toBe(400);
    expect(((await ebayError.json()) as { errors: unknown[] }).errors).toHaveLength(1);

    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (err: unknown) => err,
      );
    const notMine = await refusal(client.ebayFetch(otherOrgAccount, 'sell/fulfillment/v1/order'));
    expect(notMine).toBeInstanceOf(EbayConnectorError);
    expect(notMine).toMatchObject({ code: 'not_found', status: 404 });
    expect(await refusal(client.accessToken(otherOrgAccount))).toMatchObject({
      code: 'not_found',
      status: 404,
    });
    const scoped = countingClient(tokensOnly).client;
    expect(await refusal(scoped.ebayFetch(accountIds[0]!, 'sell/fulfillment/v1/order'))).toMatchObject({
      code: 'api_key_scope_missing',
      status: 403,
    });
    const badKey = createClient({ baseUrl, apiKey: 'ebc_nope' });
    expect(await refusal(badKey.accounts())).toMatchObject({ code: 'api_key_invalid', status: 401 });
    expect(await refusal(client.ebayFetch(accountIds[0]!, '../admin'))).toMatchObject({
      code: 'invalid_proxy_path',
      status: 400,
    });
    expect(await refusal(client.ebayFetch(accountIds[0]!, 'sell%2f..'))).toMatchObject({
      code: 'invalid_proxy_path',
      status: 400,
    });
    const nowhere = createClient({ baseUrl: 'http://127.0.0.1:1', apiKey: key });
    expect(await refusal(nowhere.accounts())).toMatchObject({ code: 'connector_unreachable', status: 0 });
  });

  it('runs the order-sync example: every active account, every page', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line));
    try {
      const synced = await main({ EBC_URL: baseUrl, EBC_API_KEY: key, PAGE_SIZE: '2' });
      expect(synced).toEqual([
        { accountId: accountIds[0], houseName: 'Alpha shop', orders: ORDERS_PER_SELLER, pages: 3 },
        { accountId: accountIds[1], houseName: 'Beta shop', orders: ORDERS_PER_SELLER, pages: 3 },
      ]);
      expect(lines.at(-1)).toBe(`synced ${2 * ORDERS_PER_SELLER} orders of 2 accounts`);
    } finally {
      log.mockRestore();
    }
  });
});
