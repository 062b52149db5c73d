import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useSignedInSession } from './support/browser.ts';
import type { EmbeddedServer } from './support/embeddedServer.ts';

let server: EmbeddedServer;
let page: Page;

describe('Connecting an eBay account through the simulator’s consent page', () => {
  useSignedInSession((session) => {
    server = session.server;
    page = session.page;
  });

  it('adds a row and says so', async () => {
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    const rowsBefore = await page.getByRole('table', { name: 'eBay accounts' }).getByRole('row').count();

    await page.getByRole('button', { name: 'Connect eBay account' }).click();
    await page.getByRole('textbox', { name: 'House name' }).fill('E2E Test House');
    await page.getByRole('button', { name: 'Continue to eBay' }).click();

    await page.locator('input#new_username').waitFor();
    expect(page.url().startsWith(server.simUrl)).toBe(true);
    await page.locator('input#new_username').fill('e2e_new_seller');
    await page.locator('button#agree').click();

    await page.getByText('eBay account connected').waitFor();
    expect(new URL(page.url()).pathname).toBe('/accounts');
    await page.getByRole('row').filter({ hasText: 'E2E Test House' }).getByText('e2e_new_seller').waitFor();
    const rowsAfter = await page.getByRole('table', { name: 'eBay accounts' }).getByRole('row').count();
    expect(rowsAfter).toBe(rowsBefore + 1);

    await page.getByRole('link', { name: 'Workers' }).click();
    await page.getByRole('row').filter({ hasText: 'E2E Test House' }).waitFor();
  });

  it('shows the connect log of the new account in the terminal', async () => {
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page
      .getByRole('row')
      .filter({ hasText: 'E2E Test House' })
      .getByRole('button', { name: 'Connect log' })
      .click();
    const log = page.getByRole('log', { name: /^Connect log — E2E Test House/ });
    await log
      .getByText(/source=connect/)
      .first()
      .waitFor();
    await page.keyboard.press('Escape');
  });

  it('says clearly when the seller declines', async () => {
    await page.getByRole('button', { name: 'Connect eBay account' }).click();
    await page.getByRole('textbox', { name: 'House name' }).fill('Declined House');
    await page.getByRole('button', { name: 'Continue to eBay' }).click();
    await page.locator('button#decline').click();
    await page.getByText('Connecting the eBay account failed').waitFor();
    expect(new URL(page.url()).searchParams.get('connect_error')).toBeTruthy();
  });
});
