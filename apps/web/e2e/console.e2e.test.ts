import type { Browser, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiFromPage, saveScreenshot, signedInPage, useSignedInSession } from './support/browser.ts';
import { ADMIN_EMAIL, type EmbeddedServer } from './support/embeddedServer.ts';

/**
 * Issue 16 in Chromium against the embedded server: reconnect bound to its account, managing
 * accounts and the account page, repairs confirmed and refreshed at once, Run cycle now, and
 * Admin → Users — at 1280 px, and the new pages at 800 px.
 */

// Seeded by the embedded server's simulator mode (apps/server/src/app/demoSeed.ts).
const REVOKED = 'Summit Outdoor';
const REVOKED_SELLER = 'summit_outdoor';
const UNWRAPPABLE = 'Pine Hollow Crafts';
const LOST_KEY = 'Lakeside Antiques';

let server: EmbeddedServer;
let browser: Browser;
let page: Page;

const accountsTable = () => page.getByRole('table', { name: 'eBay accounts' });
const accountRow = (name: string) => accountsTable().getByRole('row').filter({ hasText: name });

async function openAccounts(): Promise<void> {
  await page.goto(`${server.baseUrl}/accounts`);
  await accountsTable().waitFor();
}

interface AccountView {
  id: string;
  house_name: string;
  status: string;
}
const listAccounts = async () =>
  (await apiFromPage<{ accounts: AccountView[] }>(page, 'GET', '/api/admin/ebay/accounts')).accounts;

/** The token state the Workers page shows for an account. */
async function tokenState(houseName: string): Promise<string | undefined> {
  const status = await apiFromPage<{ accounts: { house_name: string; state: string }[] }>(
    page,
    'GET',
    `/api/admin/ebay/tokens/status?search=${encodeURIComponent(houseName)}`,
  );
  return status.accounts.find((a) => a.house_name === houseName)?.state;
}

async function pickSeller(username: string): Promise<void> {
  await page.locator('select#seller').waitFor();
  await page.locator('select#seller').selectOption({ label: username });
  await page.locator('button#agree').click();
}

const noHorizontalScroll = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

describe('The operator’s console, round two, in Chromium', () => {
  useSignedInSession((session) => {
    server = session.server;
    browser = session.browser;
    page = session.page;
  });

  it('1280 px: a reconnect signed by another seller changes nothing and says so; the right seller fixes it', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    // The worker's first cycle finds the revoked grant: needs reconnect.
    await expect
      .poll(async () => (await listAccounts()).find((a) => a.house_name === REVOKED)?.status, {
        timeout: 30_000,
      })
      .toBe('needs_reconnect');
    await openAccounts();
    const before = (await listAccounts()).length;

    await accountRow(REVOKED).getByRole('button', { name: 'Reconnect' }).click();
    const dialog = page.getByRole('dialog', { name: `Reconnect ${REVOKED} (production)` });
    await dialog.getByText(REVOKED_SELLER, { exact: true }).waitFor();
    await dialog.getByRole('button', { name: `Continue to eBay as ${REVOKED_SELLER}` }).click();
    await page.locator('input#new_username').fill('someone_else');
    await page.locator('button#agree').click();

    await page.getByText(`Signed in as the wrong seller: nothing was changed for ${REVOKED}`).waitFor();
    await page
      .getByText(
        /You signed in at eBay as someone_else, but Summit Outdoor \(production\) is eBay user summit_outdoor/,
      )
      .waitFor();
    await page.getByRole('button', { name: 'Connect someone_else as a new account' }).waitFor();
    expect(await listAccounts()).toHaveLength(before);
    expect((await listAccounts()).filter((a) => a.house_name === REVOKED).map((a) => a.status)).toEqual([
      'needs_reconnect',
    ]);

    await page.getByRole('button', { name: `Reconnect ${REVOKED} again` }).click();
    await page.getByRole('button', { name: `Continue to eBay as ${REVOKED_SELLER}` }).click();
    await pickSeller(REVOKED_SELLER);
    await page.getByText('eBay account reconnected').waitFor();
    // The badge is the token state, as on the Workers page.
    await accountRow(REVOKED).getByText('healthy', { exact: true }).waitFor();
    expect(await listAccounts()).toHaveLength(before);
  });

  it('1280 px: the simulator’s consent page without a seller says what to do, and Decline goes back', async () => {
    await openAccounts();
    await page.getByRole('button', { name: 'Connect eBay account' }).first().click();
    await page.getByRole('textbox', { name: 'House name' }).fill('Nobody Chosen');
    await page.getByRole('button', { name: 'Continue to eBay' }).click();
    await page.locator('button#agree').click();
    await page
      .locator('#consent-error')
      .getByText(/Choose an existing seller or type a new seller’s username/)
      .waitFor();
    expect(await page.content()).not.toContain('authorization request is invalid');
    await page.locator('button#decline').click();
    await page.getByText('Connecting the eBay account failed').waitFor();
  });

  it('1280 px: the account page shows everything about one account', async () => {
    await openAccounts();
    await accountRow(REVOKED).getByText('healthy', { exact: true }).waitFor();
    await saveScreenshot(page, 'accounts-page');
    await accountsTable().getByRole('link', { name: UNWRAPPABLE }).click();
    await page.getByRole('heading', { name: UNWRAPPABLE, level: 2 }).waitFor();
    for (const section of [
      'Tokens',
      'Refresh policy',
      'Use by services',
      'Scopes',
      'Token facts',
      'Refresh log',
      'Connect log',
    ]) {
      await page.getByRole('region', { name: section }).waitFor();
    }
    await page.getByRole('region', { name: 'Token facts' }).getByText(/key /).first().waitFor();
    await page.getByRole('region', { name: 'Connect log' }).getByText('token_info_viewed').first().waitFor();
    await saveScreenshot(page, 'account-page', true);
  });

  it('1280 px: disable, enable and remove an account, each confirmed; a removed account still explains itself', async () => {
    await openAccounts();
    await page.getByRole('button', { name: 'Connect eBay account' }).first().click();
    await page.getByRole('textbox', { name: 'House name' }).fill('Temporary House');
    await page.getByRole('button', { name: 'Continue to eBay' }).click();
    await page.locator('input#new_username').fill('temporary_seller');
    await page.locator('button#agree').click();
    await page.getByText('eBay account connected').waitFor();
    const row = accountRow('Temporary House');

    await row.getByRole('button', { name: 'Manage Temporary House' }).click();
    await page.getByRole('menuitem', { name: 'Disable…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable account' }).click();
    await row.getByText('disabled', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Manage Temporary House' }).click();
    await page.getByRole('menuitem', { name: 'Enable…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable account' }).click();
    await row.getByText('healthy', { exact: true }).waitFor();

    const id = (await listAccounts()).find((a) => a.house_name === 'Temporary House')!.id;
    await row.getByRole('button', { name: 'Manage Temporary House' }).click();
    await page.getByRole('menuitem', { name: 'Remove…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Temporary House (production)?' });
    await confirm.getByRole('textbox').fill('Temporary House');
    await confirm.getByRole('button', { name: 'Remove account' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await listAccounts()).map((a) => a.id)).not.toContain(id);

    await page.goto(`${server.baseUrl}/accounts/${id}`);
    await page.getByText('This account was removed').waitFor();
    await page.getByText(`removed by ${ADMIN_EMAIL}`, { exact: false }).waitFor();
    await page.getByRole('region', { name: 'Connect log' }).getByText('account_removed').waitFor();
  });

  it('1280 px: repairs are chosen, confirmed, and the repaired accounts are refreshed at once', async () => {
    await page.goto(`${server.baseUrl}/workers`);
    const lostKey = page.getByRole('region', { name: 'Encrypted with a key that is not in the ring' });
    await lostKey
      .getByText(/token-encryption-keys/)
      .first()
      .waitFor();
    expect(await lostKey.getByRole('checkbox').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Review repair…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Confirm token repair' });
    const listed = confirm.getByRole('table', { name: 'Accounts the repair will change' });
    await listed.getByText(UNWRAPPABLE).waitFor();
    expect(await listed.getByText(LOST_KEY).count()).toBe(0);
    await confirm.getByRole('button', { name: /^Apply repair to \d+ accounts?$/ }).click();
    await page
      .getByText(/the worker was asked to run a cycle now .* refreshes them within seconds/)
      .waitFor();
    // Refreshed by the worker within seconds, not at its next cycle minutes away.
    const applied = Date.now();
    await expect.poll(() => tokenState(UNWRAPPABLE), { timeout: 15_000, interval: 500 }).toBe('healthy');
    expect(Date.now() - applied).toBeLessThan(15_000);
    // Left alone, as the doctor advises: its key is to be added back.
    expect(await tokenState(LOST_KEY)).not.toBe('needs_reconnect');
  });

  it('1280 px: Run cycle now is taken by the worker within seconds', async () => {
    await page.goto(`${server.baseUrl}/workers`);
    await page.getByText(/Next cycle (in|due)|A cycle is running now/).waitFor();
    const asked = Date.now();
    await page.getByRole('button', { name: 'Run cycle now' }).click();
    await page
      .getByText(new RegExp(`Requested cycle by ${ADMIN_EMAIL} started .* on `))
      .waitFor({ timeout: 10_000 });
    expect(Date.now() - asked).toBeLessThan(10_000);
  });

  it('1280 px: Admin → Users adds a viewer with a one-time password; disabling them ends their session at once', async () => {
    await page.goto(`${server.baseUrl}/users`);
    await page.getByRole('button', { name: 'Add user' }).click();
    const add = page.getByRole('dialog', { name: 'Add user' });
    await add.getByRole('textbox', { name: 'Email' }).fill('viewer-e2e@example.com');
    await add.getByText('A one-time password', { exact: false }).click();
    await add.getByRole('button', { name: 'Add user' }).click();
    const shown = page.getByRole('dialog', { name: 'viewer-e2e@example.com added' });
    const password = (await shown.getByTestId('issued-credential').textContent())?.trim() ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await shown.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('table', { name: 'Users' }).getByText('viewer-e2e@example.com').waitFor();
    await saveScreenshot(page, 'users-page');

    const viewer = await viewerSignedIn(browser, 'viewer-e2e@example.com', password);
    await viewer.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await viewer.getByLabel('One-time password').fill(password);
    await viewer
      .getByLabel(/^New password/)
      .first()
      .fill('viewer-e2e-own-password');
    await viewer.getByLabel(/^New password again/).fill('viewer-e2e-own-password');
    await viewer.getByRole('button', { name: 'Save password' }).click();
    await viewer.getByRole('heading', { name: 'Workers' }).waitFor();
    expect(await viewer.getByRole('link', { name: 'Users' }).count()).toBe(0);

    const row = page
      .getByRole('table', { name: 'Users' })
      .getByRole('row')
      .filter({ hasText: 'viewer-e2e@example.com' });
    await row.getByRole('button', { name: 'Manage viewer-e2e@example.com' }).click();
    await page.getByText('Disable…').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable user' }).click();
    await row.getByText('disabled').waitFor();
    await viewer.reload();
    await viewer.getByRole('heading', { name: 'Sign in' }).waitFor();
    await viewer.context().close();
  });

  it('800 px: the account page and Admin → Users fit, and Run cycle now is within reach', async () => {
    const narrow = await signedInPage(browser, server.baseUrl, { viewport: { width: 800, height: 1000 } });
    try {
      const id = (await listAccounts()).find((a) => a.house_name === UNWRAPPABLE)!.id;
      await narrow.goto(`${server.baseUrl}/accounts/${id}`);
      await narrow.getByRole('heading', { name: UNWRAPPABLE, level: 2 }).waitFor();
      await narrow.getByRole('region', { name: 'Refresh log' }).waitFor();
      expect(await noHorizontalScroll(narrow)).toBe(true);
      await visible(narrow.getByRole('button', { name: 'Remove…' }));

      await narrow.goto(`${server.baseUrl}/users`);
      await narrow.getByRole('table', { name: 'Users' }).waitFor();
      expect(await noHorizontalScroll(narrow)).toBe(true);
      await visible(narrow.getByRole('button', { name: 'Add user' }));

      await narrow.goto(`${server.baseUrl}/workers`);
      await visible(narrow.getByRole('button', { name: 'Run cycle now' }));
    } finally {
      await narrow.context().close();
    }
  });
});

/** A second browser context: another person, signing in with what the admin passed on. */
async function viewerSignedIn(b: Browser, email: string, password: string): Promise<Page> {
  const context = await b.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const viewer = await context.newPage();
  await viewer.goto(`${server.baseUrl}/login`);
  await viewer.getByRole('textbox', { name: 'Email' }).fill(email);
  await viewer.getByRole('textbox', { name: 'Password' }).fill(password);
  await viewer.getByRole('button', { name: 'Sign in' }).click();
  return viewer;
}

/** On screen and inside the viewport (scrolled to if need be), not cut off at its right edge. */
async function visible(locator: Locator): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  const width = locator.page().viewportSize()?.width ?? 0;
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
}
