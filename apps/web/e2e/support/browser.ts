import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type EmbeddedServer, startEmbeddedServer } from './embeddedServer.ts';

const screenshotsDir = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page with clipboard access, signed in (as the seeded admin unless told), on Admin → Workers. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  opts: { viewport?: { width: number; height: number }; email?: string; password?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1600, height: 1000 },
    locale: 'en-GB',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/workers`);
  await page.getByRole('textbox', { name: 'Email' }).fill(opts.email ?? ADMIN_EMAIL);
  await page.getByRole('textbox', { name: 'Password' }).fill(opts.password ?? ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Workers' }).waitFor();
  return page;
}

/**
 * For a describe block: the embedded server, Chromium and a page signed in as the admin, handed
 * to `ready` once started; all stopped afterwards.
 */
export function useSignedInSession(
  ready: (session: { server: EmbeddedServer; page: Page; browser: Browser }) => void,
): void {
  let server: EmbeddedServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startEmbeddedServer();
    browser = await launchChromium();
    ready({ server, browser, page: await signedInPage(browser, server.baseUrl) });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
}

/**
 * Screenshots for the README: `UPDATE_SCREENSHOTS=1 npx vitest run --project e2e` refreshes
 * them from the current UI; plain test runs leave the committed pictures alone. With `pngquant`
 * installed (`apt-get install pngquant`) each is shrunk to a palette PNG, keeping the long Workers
 * page well under 300 KB; without it the picture is kept as Chromium wrote it.
 */
export async function saveScreenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  await mkdir(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  spawnSync('pngquant', ['--quality=85-100', '--speed=1', '--strip', '--force', '--output', file, file]);
}

/** Calls the API from inside the page: same session cookie, same Origin, JSON body. */
export async function apiFromPage<T>(page: Page, method: 'GET' | 'POST', url: string): Promise<T> {
  return page.evaluate(
    async ({ method, url }) => {
      const init: RequestInit =
        method === 'POST'
          ? { method, headers: { 'Content-Type': 'application/json' }, body: '{}' }
          : { method };
      const response = await fetch(url, init);
      if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
      return response.json();
    },
    { method, url },
  ) as Promise<T>;
}
