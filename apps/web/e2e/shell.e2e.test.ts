import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiFromPage, useSignedInSession } from './support/browser.ts';
import type { EmbeddedServer } from './support/embeddedServer.ts';

// Issue 16 defect 2: the tables fit, at the widths an operator's screen has; defect 5: the page
// says when the server is gone, keeps what it showed, and is back within seconds of its return.
const LONG_NAME = `Long House ${'Wide Name '.repeat(9)}`.slice(0, 100);
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
  { width: 800, height: 900 },
];

let page: Page;
let server: EmbeddedServer;
const BANNER = /Cannot reach the server since \d\d:\d\d:\d\d, retrying/;

/** Badges whose text is cut: drawn narrower than their words (an ellipsis, "HEALT…"). */
async function cutBadges(table: Locator): Promise<string[]> {
  return table.evaluate((node) =>
    [...node.querySelectorAll('.mantine-Badge-root, .mantine-Badge-label')]
      .filter((badge) => badge.scrollWidth > badge.clientWidth)
      .map((badge) => `${badge.textContent} (${badge.clientWidth}/${badge.scrollWidth} px)`),
  );
}

/**
 * Each row's action buttons that a user cannot click where the page opens: outside the
 * viewport's width (off the right edge, or in a part of the table scrolled away) or covered.
 */
async function unreachableActions(table: Locator): Promise<string[]> {
  return table.evaluate((node) => {
    const missing: string[] = [];
    for (const row of node.querySelectorAll('tbody tr')) {
      const buttons = [...(row.lastElementChild?.querySelectorAll('button') ?? [])];
      if (buttons.length === 0) missing.push(`${row.textContent?.slice(0, 30)}: no action`);
      for (const button of buttons) {
        // Vertically into the middle of the window only: a horizontal scroll is what is tested.
        const top = button.getBoundingClientRect().top;
        window.scrollBy(0, top - window.innerHeight / 2);
        const box = button.getBoundingClientRect();
        const x = box.left + box.width / 2;
        const y = box.top + box.height / 2;
        const hit = document.elementFromPoint(x, y);
        const inside = box.left >= 0 && box.right <= document.documentElement.clientWidth;
        if (!inside || !hit || !button.contains(hit)) {
          missing.push(`${row.textContent?.slice(0, 30)}: ${button.textContent} at ${Math.round(box.left)}`);
        }
      }
    }
    window.scrollTo(0, 0);
    return missing;
  });
}

/** The long name's cell: its width, and whether the full name is offered on hover. */
async function longNameCell(table: Locator) {
  const cell = table
    .getByRole('row')
    .filter({ hasText: LONG_NAME.slice(0, 40) })
    .getByRole('cell')
    .first();
  return cell.evaluate((td, name) => {
    const titled = [td, ...td.querySelectorAll('*')].some((el) => el.getAttribute('title') === name);
    return { width: td.getBoundingClientRect().width, titled };
  }, LONG_NAME);
}

const visit = (path: string) => page.goto(new URL(path, page.url()).href);

const navbarRight = () =>
  page
    .getByRole('navigation', { name: 'Main navigation' })
    .evaluate((nav) => nav.getBoundingClientRect().right);

describe('The console shell: tables that fit, a server that goes away', () => {
  useSignedInSession((session) => {
    page = session.page;
    server = session.server;
  });

  it('connects an account with a 100-character house name', async () => {
    expect(LONG_NAME).toHaveLength(100);
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Connect eBay account' }).click();
    await page.getByRole('textbox', { name: 'House name' }).fill(LONG_NAME);
    await page.getByRole('button', { name: 'Continue to eBay' }).click();
    await page.locator('input#new_username').fill('long_name_seller');
    await page.locator('button#agree').click();
    await page.getByText('eBay account connected').waitFor();
  });

  for (const viewport of VIEWPORTS) {
    it(`at ${viewport.width}×${viewport.height}: badges whole, every action reachable, long names contained`, async () => {
      await page.setViewportSize(viewport);
      for (const [path, tableName] of [
        ['/workers', 'Per-account token status'],
        ['/accounts', 'eBay accounts'],
      ] as const) {
        await visit(path);
        const table = page.getByRole('table', { name: tableName });
        await table
          .getByRole('row')
          .filter({ hasText: LONG_NAME.slice(0, 40) })
          .waitFor();
        await table.getByRole('row').filter({ hasText: 'Summit Outdoor' }).waitFor();
        expect(await cutBadges(table), `${path}: cut badges`).toEqual([]);
        expect(await unreachableActions(table), `${path}: unreachable actions`).toEqual([]);
        const name = await longNameCell(table);
        expect(name.titled, `${path}: full name on hover`).toBe(true);
        expect(name.width, `${path}: long name's width`).toBeLessThanOrEqual(320);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        );
      }
    });
  }

  it('at 800 px the navbar is collapsed and the burger opens it', async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    await visit('/accounts');
    await page.getByRole('table', { name: 'eBay accounts' }).waitFor();
    expect(await navbarRight()).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await expect.poll(navbarRight).toBeGreaterThan(100);
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Workers' })
      .click();
    await page.getByRole('heading', { name: 'Workers' }).waitFor();
    // Choosing a page closes it again, so the page is not hidden behind it.
    await expect.poll(navbarRight).toBeLessThanOrEqual(0);

    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(navbarRight).toBeGreaterThan(100);
    expect(await page.getByRole('button', { name: 'Toggle navigation' }).isVisible()).toBe(false);
  });

  // Last: it restarts the server under the page.
  it('when the server stops: a banner within seconds, the last data kept; back within seconds of its return', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await visit('/workers');
    const table = page.getByRole('table', { name: 'Per-account token status' });
    await table.getByRole('row').filter({ hasText: 'Summit Outdoor' }).waitFor();
    await page.getByText('token_refresh_worker').waitFor();
    await page.getByRole('button', { name: 'Open token worker terminal' }).click();
    await page.getByText('live', { exact: true }).waitFor();
    await page.keyboard.press('Escape');

    await server.halt();
    const stoppedAt = Date.now();
    await page.getByText(BANNER).waitFor({ timeout: 10_000 });
    expect(Date.now() - stoppedAt).toBeLessThan(7_000);
    // Cards polling meanwhile keep what they showed: no "Could not load" anywhere.
    await page.waitForTimeout(2_500);
    await table.getByRole('row').filter({ hasText: 'Summit Outdoor' }).waitFor();
    expect(await page.getByText('token_refresh_worker').isVisible()).toBe(true);
    expect(await page.getByText('Could not load').count()).toBe(0);

    // The terminal opened while the server is away says so, and tails again once it is back.
    await page.getByRole('button', { name: 'Open token worker terminal' }).click();
    await server.resume();
    const backAt = Date.now();
    await page.getByText('live', { exact: true }).waitFor({ timeout: 10_000 });
    await page.getByText(BANNER).waitFor({ state: 'detached', timeout: 10_000 });
    expect(Date.now() - backAt).toBeLessThan(5_000);
    const log = page.getByRole('log', { name: 'Token worker terminal' });
    const { accounts } = await apiFromPage<{ accounts: { id: string; house_name: string }[] }>(
      page,
      'GET',
      '/api/admin/ebay/accounts',
    );
    const harbor = accounts.find((account) => account.house_name === 'Harbor Books');
    await apiFromPage(page, 'POST', `/api/admin/ebay/accounts/${harbor?.id}/refresh`);
    await log.getByText(/source=manual .*account="Harbor Books"/).waitFor({ timeout: 5_000 });
    await page.keyboard.press('Escape');
    expect(await page.getByText('Could not load').count()).toBe(0);
  });
});
