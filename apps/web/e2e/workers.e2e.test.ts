import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiFromPage, saveScreenshot, useSignedInSession } from './support/browser.ts';
import { serveSyntheticTerminal, serveTimedTerminal } from './support/syntheticTerminal.ts';

// Seeded by the embedded server's simulator mode (apps/server/src/app/demoSeed.ts).
const HEALTHY = 'Main Street Vintage';
const UNDECRYPTABLE = 'Lakeside Antiques';
const MANUAL = 'Harbor Books';

let page: Page;

const tableRow = (name: string) => page.getByRole('row').filter({ hasText: name });
const debugChip = () =>
  page.getByRole('group', { name: 'Source filter' }).getByText('debug', { exact: true });
const logText = (log: Locator) => log.evaluate((node) => node.textContent ?? '');

async function openDebug(houseName: string): Promise<Locator> {
  await tableRow(houseName).getByRole('button', { name: 'Refresh (debug)' }).click();
  const log = page.getByRole('log', { name: 'Token refresh (debug) output' });
  await log.getByText('=== RESULT ===').waitFor();
  return log;
}

describe('Admin → Workers in Chromium against the embedded server', () => {
  useSignedInSession((session) => {
    page = session.page;
  });

  it('shows the three cards and the seeded accounts', async () => {
    for (const title of [
      'Background loops',
      'Account selection',
      'Token refresh status',
      'Per-account token status',
    ]) {
      await page.getByRole('heading', { name: title }).waitFor();
    }
    await page.getByText('token_refresh_worker').waitFor();
    await page.getByRole('button', { name: 'View token HTTP logs (JSON)' }).waitFor();
    await page.getByRole('button', { name: 'View raw HTTP token logs' }).waitFor();
    await tableRow(HEALTHY).waitFor();
    await tableRow(UNDECRYPTABLE).getByText('failing').waitFor();
    expect(await page.getByText(/^healthy: \d+$/i).textContent()).toMatch(/healthy: [1-9]/i);
    await page.getByText(/Last cycle: .* due/).waitFor();
    // The Refresh plan card with its chart of calls per hour (48 bars' slots, drawn by recharts).
    const plan = page.getByTestId('refresh-plan-card');
    await plan.getByRole('heading', { name: 'Refresh plan' }).waitFor();
    await plan.getByText(/Last 24 h: [\d,]+ \/ 50,000 calls/).waitFor();
    await plan.locator('.recharts-bar-rectangle').first().waitFor({ state: 'attached' });
    expect(await plan.getByTestId('refresh-plan-chart').getAttribute('data-points')).toBe('48');
    await tableRow(HEALTHY)
      .getByText(/^(warm|on demand) now$/)
      .waitFor();
    await saveScreenshot(page, 'workers-page', true);
  });

  it('Refresh (debug) on a healthy account prints both blocks with a masked token', async () => {
    const log = await openDebug(HEALTHY);
    const text = await logText(log);
    expect(text.indexOf('=== HTTP REQUEST ===')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('=== HTTP RESPONSE ===')).toBeGreaterThan(text.indexOf('=== HTTP REQUEST ==='));
    expect(text).toMatch(/refresh_token=v\^1\.1[^&\s]*…/);
    expect(text).toContain('HTTP 200');
    expect(text).not.toContain('ENC:');
    await saveScreenshot(page, 'debug-terminal');
  });

  it('Copy all puts the whole transcript on the clipboard', async () => {
    await page.getByRole('button', { name: 'Copy all' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const clipboard = await page.evaluate(() => navigator.clipboard.readText());
    expect(clipboard).toContain('=== HTTP REQUEST ===\nPOST ');
    expect(clipboard).toContain('=== HTTP RESPONSE ===\nHTTP 200');
    await page.keyboard.press('Escape');
    await page.getByRole('log', { name: 'Token refresh (debug) output' }).waitFor({ state: 'detached' });
  });

  it('Refresh (debug) on an undecryptable account shows the diagnosis and no HTTP', async () => {
    const log = await openDebug(UNDECRYPTABLE);
    const text = await logText(log);
    expect(text).toContain('No HTTP request was made.');
    expect(text).toContain('decrypt_failed');
    expect(text).toMatch(/diagnosis: unknown_key_id — /);
    expect(text).not.toContain('=== HTTP REQUEST ===');
    await page.keyboard.press('Escape');
  });

  it('the token worker terminal shows scheduled and debug entries, and the debug filter hides scheduled', async () => {
    await page.getByRole('button', { name: 'Open token worker terminal' }).click();
    const log = page.getByRole('log', { name: 'Token worker terminal' });
    await log
      .getByText(/source=debug/)
      .first()
      .waitFor();
    await page.getByText('live', { exact: true }).waitFor();
    await saveScreenshot(page, 'token-worker-terminal');

    // Newest at the bottom: the scheduled entries of the first cycle are at the top.
    await log.evaluate((node) => {
      node.scrollTop = 0;
    });
    await log
      .getByText(/source=scheduled/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Copy all' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const everything = await page.evaluate(() => navigator.clipboard.readText());
    expect(everything).toContain('source=scheduled');
    expect(everything).toContain('source=debug');
    // The marker carries the date: a log reaches back over days.
    expect(everything).toMatch(/──── cycle .*\d{4}.* \d\d:\d\d — \d+ due/);

    await debugChip().click();
    await expect.poll(async () => logText(log)).not.toContain('source=scheduled');
    expect(await logText(log)).toContain('source=debug');
    await debugChip().click();
    await log
      .getByText(/source=scheduled/)
      .first()
      .waitFor();
    await page.keyboard.press('Escape');
    await log.waitFor({ state: 'detached' });
  });

  it('a refresh triggered through the API appears live within 3 seconds', async () => {
    await page.getByRole('button', { name: 'Open token worker terminal' }).click();
    const log = page.getByRole('log', { name: 'Token worker terminal' });
    await page.getByText('live', { exact: true }).waitFor();
    const { accounts } = await apiFromPage<{ accounts: { id: string; house_name: string }[] }>(
      page,
      'GET',
      '/api/admin/ebay/accounts',
    );
    const account = accounts.find((candidate) => candidate.house_name === MANUAL);
    expect(account).toBeDefined();
    await apiFromPage(page, 'POST', `/api/admin/ebay/accounts/${account?.id}/refresh`);
    // Timed from the moment the entry is written (the refresh itself is not the stream's time).
    const written = Date.now();
    await log.getByText(new RegExp(`source=manual .*account="${MANUAL}"`)).waitFor({ timeout: 10_000 });
    expect(Date.now() - written).toBeLessThan(3000);
    await page.keyboard.press('Escape');
  });

  it('stays small and keeps its place with 5,000 entries', async () => {
    const stop = await serveSyntheticTerminal(page, 5000);
    await page.getByRole('button', { name: 'Open token worker terminal' }).click();
    const log = page.getByRole('log', { name: 'Token worker terminal' });
    await page.getByText(/500 entries/).waitFor();
    // Scrolling to the top loads the next older page (before_id) above, without a jump.
    for (let loaded = 500; loaded < 5000; loaded += 500) {
      await log.evaluate((node) => {
        node.scrollTop = 0;
      });
      await page.getByText(`${(loaded + 500).toLocaleString('en-US')} entries`).waitFor();
      expect(await log.evaluate((node) => node.scrollTop)).toBeGreaterThan(1000);
    }
    const nodes = await page.evaluate(() => document.body.querySelectorAll('*').length);
    expect(nodes).toBeLessThan(2000);
    // Scrolling through all of it keeps the DOM small (virtualised), wherever the view is.
    for (let step = 0; step < 20; step++) {
      await log.evaluate((node, top) => {
        node.scrollTop = top;
      }, step * 4000);
      await page.evaluate(() => new Promise(requestAnimationFrame));
    }
    expect(await page.evaluate(() => document.body.querySelectorAll('*').length)).toBeLessThan(2000);
    await page.keyboard.press('Escape');
    await stop();
  });
  it.each([1280, 800])('at %i px a time range shows only the entries written since', async (width) => {
    await page.setViewportSize({ width, height: 900 });
    const { queries, stop } = await serveTimedTerminal(page, [
      { houseName: 'Week Old Store', minutesAgo: 3 * 24 * 60 },
      { houseName: 'Morning Store', minutesAgo: 180 },
      { houseName: 'Recent Store', minutesAgo: 20 },
    ]);
    try {
      await page.getByRole('button', { name: 'Open token worker terminal' }).click();
      const log = page.getByRole('log', { name: 'Token worker terminal' });
      await log.getByText(/account="Week Old Store"/).waitFor();
      const range = page.getByRole('group', { name: 'Time range' });
      const lastHour = range.getByText('Last hour', { exact: true });
      // Within reach without scrolling sideways.
      const box = await lastHour.boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(width);

      await lastHour.click();
      await expect.poll(async () => logText(log)).not.toContain('Week Old Store');
      expect(await logText(log)).not.toContain('Morning Store');
      expect(await logText(log)).toContain('Recent Store');
      const from = Date.parse(queries.at(-1)?.get('from') ?? '');
      expect(Math.abs(from - (Date.now() - 3_600_000))).toBeLessThan(30_000);

      await range.getByText('Last 24 h', { exact: true }).click();
      await log.getByText(/account="Morning Store"/).waitFor();
      expect(await logText(log)).not.toContain('Week Old Store');
      await range.getByText('All time', { exact: true }).click();
      await log.getByText(/account="Week Old Store"/).waitFor();
      expect(queries.at(-1)?.get('from')).toBeNull();
      await page.keyboard.press('Escape');
      await log.waitFor({ state: 'detached' });
    } finally {
      await stop();
      await page.setViewportSize({ width: 1600, height: 1000 });
    }
  });
});
