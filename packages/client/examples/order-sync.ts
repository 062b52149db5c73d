/**
 * Order sync, the way a service uses the connector: every active eBay account of the key's org,
 * every page of its orders, through the connector's eBay API proxy (which adds the account's
 * access token and refreshes it when needed). Against the simulator (`npm start` without eBay
 * credentials) or real eBay alike:
 *
 *   EBC_URL=http://127.0.0.1:3000 EBC_API_KEY=ebc_… npx tsx packages/client/examples/order-sync.ts
 */
import { createClient, type EbayConnectorClient } from '@ebay-connector/client';

type OrdersPage = { orders: Array<{ orderId: string }>; total: number; next?: string };

export interface SyncedAccount {
  accountId: string;
  houseName: string;
  orders: number;
  pages: number;
}

/** Pages through `sell/fulfillment/v1/order` of each active account, `pageSize` orders a page. */
export async function syncOrders(
  client: EbayConnectorClient,
  opts: { pageSize?: number; log?: (line: string) => void } = {},
): Promise<SyncedAccount[]> {
  const pageSize = opts.pageSize ?? 50;
  const log = opts.log ?? console.log;
  const results: SyncedAccount[] = [];
  for (const account of await client.accounts({ status: 'active' })) {
    let offset = 0;
    let pages = 0;
    let orders = 0;
    for (;;) {
      const res = await client.ebayFetch(
        account.ebay_account_id,
        `sell/fulfillment/v1/order?limit=${pageSize}&offset=${offset}`,
      );
      if (!res.ok) throw new Error(`${account.house_name}: eBay answered ${res.status}: ${await res.text()}`);
      const page = (await res.json()) as OrdersPage;
      pages += 1;
      orders += page.orders.length;
      // Store page.orders here.
      if (!page.next || page.orders.length === 0) break;
      offset += page.orders.length;
    }
    log(
      `${account.house_name} (${account.ebay_username ?? account.ebay_user_id}): ${orders} orders in ${pages} pages`,
    );
    results.push({ accountId: account.ebay_account_id, houseName: account.house_name, orders, pages });
  }
  return results;
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<SyncedAccount[]> {
  const baseUrl = env.EBC_URL ?? 'http://127.0.0.1:3000';
  const apiKey = env.EBC_API_KEY;
  if (!apiKey) throw new Error('set EBC_API_KEY to an API key with the proxy scope (Admin → API keys)');
  const synced = await syncOrders(createClient({ baseUrl, apiKey }), {
    pageSize: Number(env.PAGE_SIZE ?? 50),
  });
  console.log(`synced ${synced.reduce((n, a) => n + a.orders, 0)} orders of ${synced.length} accounts`);
  return synced;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
