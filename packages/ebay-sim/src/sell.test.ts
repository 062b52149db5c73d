import { CONTROL_SECRET_HEADER } from './controlRoutes.ts';
import { INVALID_ACCESS_TOKEN_BODY, ORDERS_PER_SELLER } from './sellRoutes.ts';
import { type EbaySim, startEbaySim } from './server.ts';
import { refresh, TEST_SCOPES } from './test/httpClient.ts';
import { manualClock } from './test/manualClock.ts';

const clock = manualClock();
let sim: EbaySim;

beforeAll(async () => {
  sim = await startEbaySim({ now: clock.now });
});
afterAll(() => sim.close());

type SellBody = {
  total?: number;
  next?: string;
  orders: Array<{ orderId: string } & Record<string, unknown>>;
  inventoryItems: Array<Record<string, unknown>>;
  errors: Array<{ errorId: number; message: string }>;
} & Record<string, unknown>;

async function get(path: string, token?: string) {
  const res = await fetch(
    `${sim.url}${path}`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  return { status: res.status, headers: res.headers, body: (await res.json()) as SellBody };
}

describe('GET /sell/fulfillment/v1/order', () => {
  it("pages through the seller's orders in eBay's shape (orders, total, limit, offset, next)", async () => {
    const grant = sim.control.issueGrant({ username: 'orders_seller' });
    const first = await get('/sell/fulfillment/v1/order?limit=2', grant.access_token);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ebay-c-request-id')).toBeTruthy();
    expect(first.body).toMatchObject({ total: ORDERS_PER_SELLER, limit: 2, offset: 0 });
    expect(first.body.orders).toHaveLength(2);
    expect(first.body.orders[0]).toMatchObject({
      orderId: expect.any(String),
      sellerId: 'orders_seller',
      pricingSummary: { total: { value: expect.any(String), currency: 'USD' } },
      lineItems: [expect.objectContaining({ quantity: 1 })],
    });
    expect(first.body.next).toBe('https://api.ebay.com/sell/fulfillment/v1/order?limit=2&offset=2');

    const seen: string[] = [];
    let path: string | undefined = '/sell/fulfillment/v1/order?limit=2&offset=0';
    while (path) {
      const page = await get(path, grant.access_token);
      seen.push(...page.body.orders.map((o: { orderId: string }) => o.orderId));
      path = page.body.next ? new URL(page.body.next).pathname + new URL(page.body.next).search : undefined;
    }
    expect(seen).toHaveLength(ORDERS_PER_SELLER);
    expect(new Set(seen).size).toBe(ORDERS_PER_SELLER);
    const last = await get('/sell/fulfillment/v1/order?limit=2&offset=4', grant.access_token);
    expect(last.body.next).toBeUndefined();

    // Another seller sees other orders.
    const other = sim.control.issueGrant();
    const theirs = await get('/sell/fulfillment/v1/order', other.access_token);
    expect(theirs.body.orders.map((o: { orderId: string }) => o.orderId)).not.toContain(seen[0]);
  });

  it('answers 400 for a bad limit or offset', async () => {
    const grant = sim.control.issueGrant();
    for (const q of ['limit=0', 'limit=abc', 'limit=1001', 'offset=-1']) {
      const res = await get(`/sell/fulfillment/v1/order?${q}`, grant.access_token);
      expect(res.status, q).toBe(400);
      expect(res.body.errors[0]?.message).toMatch(/Invalid '(limit|offset)' value/);
    }
  });

  it("answers eBay's 401 body (errorId 1001) for missing, unknown, expired and revoked tokens", async () => {
    const before = sim.control.counters().sellUnauthorized;
    expect((await get('/sell/fulfillment/v1/order')).body).toEqual(INVALID_ACCESS_TOKEN_BODY);
    const unknown = await get('/sell/fulfillment/v1/order', 'v^1.1#nope');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(INVALID_ACCESS_TOKEN_BODY);
    const expiring = sim.control.issueGrant({ accessExpiresInSeconds: 60 });
    expect((await get('/sell/fulfillment/v1/order', expiring.access_token)).status).toBe(200);
    clock.advanceSeconds(61);
    expect((await get('/sell/fulfillment/v1/order', expiring.access_token)).status).toBe(401);
    const revoked = sim.control.issueGrant();
    sim.control.revokeUser(revoked.user_id);
    expect((await get('/sell/inventory/v1/inventory_item', revoked.access_token)).status).toBe(401);
    expect(sim.control.counters().sellUnauthorized).toBe(before + 4);
  });

  it('answers 403 errorId 1100 when the token lacks the fulfillment scope', async () => {
    const grant = sim.control.issueGrant({ scopes: TEST_SCOPES });
    const res = await get('/sell/fulfillment/v1/order', grant.access_token);
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toMatchObject({ errorId: 1100, message: 'Access denied' });
    // The inventory scope is in TEST_SCOPES.
    expect((await get('/sell/inventory/v1/inventory_item', grant.access_token)).status).toBe(200);
  });
});

describe('GET /sell/inventory/v1/inventory_item', () => {
  it("lists the seller's inventory items, paged", async () => {
    const grant = sim.control.issueGrant({ username: 'inventory_seller' });
    const res = await get('/sell/inventory/v1/inventory_item?limit=2', grant.access_token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, size: 2, limit: 2 });
    expect(res.body.inventoryItems[0]).toMatchObject({
      sku: expect.stringMatching(/^SKU-/),
      product: { title: expect.stringContaining('inventory_seller') },
    });
    expect(res.body.next).toContain('offset=2');
  });
});

describe('expiring access tokens early', () => {
  it('expires every access token of the seller (SimControl and POST /__sim/expire-access-tokens); a refresh works again', async () => {
    const grant = sim.control.issueGrant();
    const other = sim.control.issueGrant();
    expect(sim.control.expireAccessTokens(grant.user_id)).toBe(1);
    expect((await get('/sell/fulfillment/v1/order', grant.access_token)).status).toBe(401);
    expect((await get('/sell/fulfillment/v1/order', other.access_token)).status).toBe(200);

    const fresh = await refresh(sim, grant.refresh_token, [
      'https://api.ebay.com/oauth/api_scope/sell.fulfillment',
    ]);
    const token = String(fresh.body.access_token);
    expect((await get('/sell/fulfillment/v1/order', token)).status).toBe(200);

    const send = (headers: Record<string, string>) =>
      fetch(`${sim.url}/__sim/expire-access-tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ userId: grant.user_id }),
      });
    expect((await send({})).status).toBe(401);
    const res = await send({ [CONTROL_SECRET_HEADER]: sim.controlSecret });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ expired: 1 });
    expect((await get('/sell/fulfillment/v1/order', token)).status).toBe(401);
  });
});
