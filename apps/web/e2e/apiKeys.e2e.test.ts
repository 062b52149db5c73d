import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, useSignedInSession } from './support/browser.ts';
import type { EmbeddedServer } from './support/embeddedServer.ts';

/** Issue 11 in Chromium: Admin → API keys creates a key shown once that works, and revokes it. */

let server: EmbeddedServer;
let page: Page;

const accounts = (key: string) =>
  fetch(`${server.baseUrl}/api/v1/ebay/accounts`, { headers: { authorization: `Bearer ${key}` } });

describe('Admin → API keys in Chromium', () => {
  useSignedInSession((session) => {
    server = session.server;
    page = session.page;
  });

  it('creates a key shown once with a copy button; the service can use it until it is revoked', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create API key' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('order sync');
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const shown = page.getByRole('dialog', { name: 'API key "order sync" created' });
    const key = ((await shown.getByTestId('issued-api-key').textContent()) ?? '').trim();
    expect(key).toMatch(/^ebc_[A-Za-z0-9_-]{43}$/);
    await shown.getByText('you will not see it again').waitFor();
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await shown.getByRole('button', { name: 'Done' }).click();

    const row = page
      .getByRole('table', { name: 'API keys' })
      .getByRole('row')
      .filter({ hasText: 'order sync' });
    await row.getByText('active').waitFor();
    expect(await page.locator('body').textContent()).not.toContain(key);

    const used = await accounts(key);
    expect(used.status).toBe(200);
    expect((await used.json()).accounts.length).toBeGreaterThan(0);

    await row.getByRole('button', { name: 'Revoke order sync' }).click();
    await page
      .getByRole('dialog', { name: 'Revoke order sync?' })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await row.getByText('revoked').waitFor();
    expect((await accounts(key)).status).toBe(401);

    // For the README: a second key, still active, next to the revoked one (the dialog with the
    // key in it is closed first, so no key is in the picture).
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page
      .getByRole('dialog', { name: 'Create API key' })
      .getByRole('textbox', { name: 'Name' })
      .fill('nightly export');
    await page
      .getByRole('dialog', { name: 'Create API key' })
      .getByRole('checkbox', { name: /proxy/ })
      .click();
    await page
      .getByRole('dialog', { name: 'Create API key' })
      .getByRole('button', { name: 'Create key' })
      .click();
    await page
      .getByRole('dialog', { name: 'API key "nightly export" created' })
      .getByRole('button', { name: 'Done' })
      .click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page
      .getByRole('table', { name: 'API keys' })
      .getByRole('row')
      .filter({ hasText: 'nightly export' })
      .getByText('active')
      .waitFor();
    await saveScreenshot(page, 'api-keys-page');
  });
});
