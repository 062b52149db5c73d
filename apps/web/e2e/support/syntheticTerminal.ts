import type { LogEntry } from '@ebay-connector/contracts';
import type { Page } from 'playwright-core';

function syntheticEntry(id: number): LogEntry {
  const scheduled = id % 3 !== 0;
  return {
    id,
    created_at: new Date(Date.UTC(2025, 11, 1, 12) + id * 1000).toISOString(),
    action: 'token_refreshed',
    source: scheduled ? 'scheduled' : 'debug',
    environment: 'production',
    ebay_account_id: '11111111-1111-4111-8111-111111111111',
    house_name: `Synthetic Store ${id % 250}`,
    request: {
      method: 'POST',
      url: 'https://api.ebay.com/identity/v1/oauth2/token',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: 'Basic app-id:********',
      },
      body: 'grant_type=refresh_token&refresh_token=v^1.1#i^…Ul4x&scope=https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope',
    },
    response: {
      status_code: 200,
      reason: 'OK',
      headers: { 'content-type': 'application/json', rlogid: `t6${id}` },
      body: '{"access_token":"v^1.1#i^…9xQz","expires_in":7200,"token_type":"User Access Token"}',
    },
    summary: null,
    error: null,
    duration_ms: 100 + (id % 50),
  };
}

/** A quiet live stream: the history routes alone say what the terminal shows. */
async function quietStream(page: Page, stream: string): Promise<void> {
  await page.route(stream, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: 'retry: 60000\n\n',
    }),
  );
}

/**
 * Answers the terminal's history requests with one entry per house, written `minutesAgo`, as the
 * server would for `from` and `to`; `queries` records every request's parameters.
 */
export async function serveTimedTerminal(
  page: Page,
  houses: { houseName: string; minutesAgo: number }[],
): Promise<{ queries: URLSearchParams[]; stop: () => Promise<void> }> {
  const logs = '**/api/admin/ebay/tokens/terminal-logs?**';
  const stream = '**/api/admin/ebay/tokens/terminal-stream?**';
  const now = Date.now();
  const entries = houses
    .map(({ houseName, minutesAgo }, index) => ({
      ...syntheticEntry(index + 1),
      source: 'scheduled' as const,
      house_name: houseName,
      created_at: new Date(now - minutesAgo * 60_000).toISOString(),
    }))
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at))
    .map((entry, index) => ({ ...entry, id: index + 1 }));
  const queries: URLSearchParams[] = [];
  await page.route(logs, async (route) => {
    const query = new URL(route.request().url()).searchParams;
    queries.push(query);
    const from = Date.parse(query.get('from') ?? '') || Number.NEGATIVE_INFINITY;
    const to = Date.parse(query.get('to') ?? '') || Number.POSITIVE_INFINITY;
    const shown = entries.filter((e) => Date.parse(e.created_at) >= from && Date.parse(e.created_at) < to);
    await route.fulfill({ json: { entries: shown.reverse(), next_before_id: null } });
  });
  await quietStream(page, stream);
  return {
    queries,
    stop: async () => {
      await page.unroute(logs);
      await page.unroute(stream);
    },
  };
}

/**
 * Answers the terminal's history requests in the browser with `total` synthetic entries
 * (keyset pages by before_id, newest first) and keeps the live stream quiet, to measure
 * the terminal itself. Returns a function that removes the routes.
 */
export async function serveSyntheticTerminal(page: Page, total: number): Promise<() => Promise<void>> {
  const logs = '**/api/admin/ebay/tokens/terminal-logs?**';
  const stream = '**/api/admin/ebay/tokens/terminal-stream?**';
  await page.route(logs, async (route) => {
    const url = new URL(route.request().url());
    const limit = Number(url.searchParams.get('limit') ?? 200);
    const before = Number(url.searchParams.get('before_id') ?? total + 1);
    const newest = Math.min(before - 1, total);
    const ids = Array.from({ length: Math.max(0, Math.min(limit, newest)) }, (_, index) => newest - index);
    const entries = ids.map(syntheticEntry);
    const last = ids.at(-1);
    await route.fulfill({ json: { entries, next_before_id: last !== undefined && last > 1 ? last : null } });
  });
  await quietStream(page, stream);
  return async () => {
    await page.unroute(logs);
    await page.unroute(stream);
  };
}
