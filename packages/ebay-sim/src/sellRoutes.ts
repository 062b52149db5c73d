import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCOPE_PREFIX, type SimContext } from './context.ts';
import { headerValue, sendJson, sleep } from './httpUtil.ts';
import type { Seller } from './store.ts';

/**
 * The Sell API calls a consumer of the connector makes, enough to exercise it for real:
 * `GET /sell/fulfillment/v1/order` and `GET /sell/inventory/v1/inventory_item` (served by eBay
 * on api.ebay.com), paged with `limit`/`offset` and answered in eBay's shapes. Each seller has a
 * few orders and inventory items, derived from its userId so they are the same on every call.
 * The Bearer token is checked like eBay does: an expired, revoked or unknown token is a 401 with
 * errorId 1001, a token without the API's scope a 403 with errorId 1100.
 */

export const ORDERS_PER_SELLER = 5;
export const ITEMS_PER_SELLER = 3;

export const FULFILLMENT_PATH = '/sell/fulfillment/v1/order';
export const INVENTORY_PATH = '/sell/inventory/v1/inventory_item';

type ApiError = { errorId: number; domain: string; category: string; message: string; longMessage?: string };

function sendErrors(res: ServerResponse, status: number, error: ApiError) {
  sendJson(res, status, { errors: [error] });
}

export const INVALID_ACCESS_TOKEN_BODY = {
  errors: [
    {
      errorId: 1001,
      domain: 'OAuth',
      category: 'REQUEST',
      message: 'Invalid access token',
      longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.',
    },
  ],
};

/** Whose call this is, or the error answer already sent. */
function authorize(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  scopeName: 'sell.fulfillment' | 'sell.inventory',
): Seller | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(headerValue(req, 'authorization'));
  const token = match?.[1] ? ctx.store.validAccessToken(match[1]) : undefined;
  if (!token) {
    ctx.counters.countSellCall(401);
    sendJson(res, 401, INVALID_ACCESS_TOKEN_BODY);
    return undefined;
  }
  const accepted = [`${SCOPE_PREFIX}/${scopeName}`, `${SCOPE_PREFIX}/${scopeName}.readonly`];
  if (!token.scopes.some((s) => accepted.includes(s))) {
    ctx.counters.countSellCall(403);
    sendErrors(res, 403, {
      errorId: 1100,
      domain: 'ACCESS',
      category: 'REQUEST',
      message: 'Access denied',
      longMessage: `Insufficient permissions to fulfill the request. The access token lacks the ${scopeName} scope.`,
    });
    return undefined;
  }
  return token.seller;
}

type Page = { limit: number; offset: number };

/** eBay's paging parameters: `limit` 1..max (default `def`), `offset` >= 0 (default 0). */
function readPage(res: ServerResponse, url: URL, def: number, max: number, domain: string): Page | undefined {
  const parse = (name: string, fallback: number, min: number, top: number) => {
    const raw = url.searchParams.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > top) return null;
    return Number(raw);
  };
  const limit = parse('limit', def, 1, max);
  const offset = parse('offset', 0, 0, 999_999_999);
  if (limit === null || offset === null) {
    const name = limit === null ? 'limit' : 'offset';
    sendErrors(res, 400, {
      errorId: name === 'limit' ? 30700 : 30800,
      domain,
      category: 'REQUEST',
      message: `Invalid '${name}' value`,
      longMessage:
        name === 'limit'
          ? `The 'limit' value must be an integer from 1 to ${max}.`
          : "The 'offset' value must be an integer of 0 or more.",
    });
    return undefined;
  }
  return { limit, offset };
}

function seeded(userId: string, n: number): string {
  return createHash('sha256').update(`${userId}:${n}`).digest('hex');
}

export function ordersOf(seller: Seller): Record<string, unknown>[] {
  return Array.from({ length: ORDERS_PER_SELLER }, (_, i) => {
    const h = seeded(seller.userId, i);
    const cents = 500 + (Number.parseInt(h.slice(0, 6), 16) % 20_000);
    const value = (cents / 100).toFixed(2);
    const created = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
    const orderId = `${((Number.parseInt(h.slice(6, 14), 16) % 90) + 10).toString()}-${Number.parseInt(
      h.slice(14, 19),
      16,
    )
      .toString()
      .padStart(5, '0')}-${Number.parseInt(h.slice(19, 24), 16).toString().padStart(5, '0')}`;
    return {
      orderId,
      legacyOrderId: `${h.slice(24, 36)}-${h.slice(36, 48)}`,
      creationDate: created,
      lastModifiedDate: created,
      orderFulfillmentStatus: i === 0 ? 'NOT_STARTED' : 'FULFILLED',
      orderPaymentStatus: 'PAID',
      sellerId: seller.username,
      buyer: { username: `buyer_${h.slice(48, 54)}` },
      pricingSummary: { total: { value, currency: 'USD' } },
      lineItems: [
        {
          lineItemId: `${Number.parseInt(h.slice(54, 62), 16)}`,
          sku: `SKU-${h.slice(0, 4).toUpperCase()}`,
          title: `Simulated item ${i + 1} of ${seller.username}`,
          quantity: 1,
          lineItemCost: { value, currency: 'USD' },
        },
      ],
    };
  });
}

function itemsOf(seller: Seller): Record<string, unknown>[] {
  return Array.from({ length: ITEMS_PER_SELLER }, (_, i) => {
    const h = seeded(seller.userId, 100 + i);
    return {
      sku: `SKU-${h.slice(0, 8).toUpperCase()}`,
      locale: 'en_US',
      condition: 'NEW',
      product: { title: `Simulated product ${i + 1} of ${seller.username}`, aspects: {} },
      availability: { shipToLocationAvailability: { quantity: Number.parseInt(h.slice(8, 10), 16) % 20 } },
    };
  });
}

function pageLinks(url: URL, page: Page, total: number) {
  const at = (offset: number) => {
    const u = new URL(url.pathname, 'https://api.ebay.com');
    u.searchParams.set('limit', String(page.limit));
    u.searchParams.set('offset', String(offset));
    return u.toString();
  };
  return {
    href: at(page.offset),
    ...(page.offset + page.limit < total ? { next: at(page.offset + page.limit) } : {}),
    ...(page.offset > 0 ? { prev: at(Math.max(0, page.offset - page.limit)) } : {}),
  };
}

async function prelude(ctx: SimContext) {
  if (ctx.settings.latencyMs > 0) await sleep(ctx.settings.latencyMs);
}

/** `GET /sell/fulfillment/v1/order?limit=&offset=` (limit 1..1000, default 50). */
export async function handleGetOrders(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL) {
  await prelude(ctx);
  const seller = authorize(ctx, req, res, 'sell.fulfillment');
  if (!seller) return;
  const page = readPage(res, url, 50, 1000, 'API_FULFILLMENT');
  if (!page) return ctx.counters.countSellCall(400);
  ctx.counters.countSellCall(200);
  const all = ordersOf(seller);
  sendJson(res, 200, {
    ...pageLinks(url, page, all.length),
    total: all.length,
    limit: page.limit,
    offset: page.offset,
    orders: all.slice(page.offset, page.offset + page.limit),
    warnings: [],
  });
}

/** `GET /sell/inventory/v1/inventory_item?limit=&offset=` (limit 1..200, default 25). */
export async function handleGetInventoryItems(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  await prelude(ctx);
  const seller = authorize(ctx, req, res, 'sell.inventory');
  if (!seller) return;
  const page = readPage(res, url, 25, 200, 'API_INVENTORY');
  if (!page) return ctx.counters.countSellCall(400);
  ctx.counters.countSellCall(200);
  const all = itemsOf(seller);
  const items = all.slice(page.offset, page.offset + page.limit);
  sendJson(res, 200, {
    ...pageLinks(url, page, all.length),
    total: all.length,
    size: items.length,
    limit: page.limit,
    inventoryItems: items,
  });
}
