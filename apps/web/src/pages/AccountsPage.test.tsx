import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { redirectTo } from '../lib/redirect.ts';
import { FakeEventSource } from '../test/fakeEventSource.ts';
import { ACCOUNT_ID, buildAccount, buildLogEntry, buildMe } from '../test/fixtures.ts';
import { jsonResponse, mockApi } from '../test/mockApi.ts';
import { renderApp } from '../test/renderApp.tsx';

vi.mock('../lib/redirect.ts', () => ({ redirectTo: vi.fn() }));

function mockAccountsApi(role: 'admin' | 'viewer' = 'admin') {
  return mockApi({
    'GET /api/auth/me': () => buildMe(role),
    'GET /api/admin/ebay/accounts': () => ({ accounts: [buildAccount()] }),
    'POST /api/admin/ebay/connect/start': ({ body }) =>
      (body as { house_name: string }).house_name === 'Taken'
        ? jsonResponse(409, {
            error: { code: 'connect_in_progress', message: 'A connection is already running' },
          })
        : { authorize_url: 'http://127.0.0.1:4001/oauth2/authorize?state=abc' },
    'GET /api/admin/ebay/tokens/terminal-logs': () => ({
      entries: [
        buildLogEntry({
          id: 3,
          action: 'connect_completed',
          source: 'connect',
          request: null,
          response: null,
        }),
      ],
      next_before_id: null,
    }),
  });
}

describe('Accounts page', () => {
  beforeEach(() => FakeEventSource.install());
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.mocked(redirectTo).mockReset();
  });

  it('lists the org’s accounts', async () => {
    mockAccountsApi();
    renderApp('/accounts');
    expect(await screen.findByRole('cell', { name: 'Main Store' })).toBeInTheDocument();
    expect(screen.getByText('main_seller')).toBeInTheDocument();
  });

  it('shows the same state as the Workers table: failing, not active', async () => {
    mockApi({
      'GET /api/auth/me': () => buildMe('admin'),
      'GET /api/admin/ebay/accounts': () => ({
        accounts: [buildAccount({ status: 'active', state: 'failing' })],
      }),
    });
    renderApp('/accounts');
    const row = (await screen.findByRole('cell', { name: 'Main Store' })).closest('tr') as HTMLElement;
    expect(within(row).getByText('failing')).toBeInTheDocument();
    expect(within(row).queryByText('active')).not.toBeInTheDocument();
  });

  it('connects: environment + house name, then off to the consent page', async () => {
    const api = mockAccountsApi();
    const user = userEvent.setup();
    renderApp('/accounts');
    await user.click(await screen.findByRole('button', { name: 'Connect eBay account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Connect eBay account' });
    await user.click(within(dialog).getByText('Sandbox'));
    await user.type(within(dialog).getByRole('textbox', { name: /House name/ }), '  New Shop ');
    await user.click(within(dialog).getByRole('button', { name: 'Continue to eBay' }));

    await vi.waitFor(() =>
      expect(redirectTo).toHaveBeenCalledWith('http://127.0.0.1:4001/oauth2/authorize?state=abc'),
    );
    const call = api.calls.find((c) => c.path === '/api/admin/ebay/connect/start');
    expect(call?.body).toEqual({ environment: 'sandbox', house_name: 'New Shop' });
  });

  it('says a pasted house name is too long instead of cutting it', async () => {
    const api = mockAccountsApi();
    const user = userEvent.setup();
    renderApp('/accounts');
    await user.click(await screen.findByRole('button', { name: 'Connect eBay account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Connect eBay account' });
    const input = within(dialog).getByRole('textbox', { name: /House name/ });
    await user.click(input);
    await user.paste('x'.repeat(120));
    expect(input).toHaveValue('x'.repeat(120));
    expect(
      within(dialog).getByText('At most 100 characters: this one has 120. Shorten it.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Continue to eBay' })).toBeDisabled();
    await user.type(input, '{Backspace>20/}');
    expect(within(dialog).getByRole('button', { name: 'Continue to eBay' })).toBeEnabled();
    expect(api.calls.some((c) => c.path === '/api/admin/ebay/connect/start')).toBe(false);
  });

  it('shows why starting a connection failed', async () => {
    mockAccountsApi();
    const user = userEvent.setup();
    renderApp('/accounts');
    await user.click(await screen.findByRole('button', { name: 'Connect eBay account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Connect eBay account' });
    await user.type(within(dialog).getByRole('textbox', { name: /House name/ }), 'Taken');
    await user.click(within(dialog).getByRole('button', { name: 'Continue to eBay' }));
    expect(
      await within(dialog).findByText('A connection is already running (connect_in_progress)'),
    ).toBeInTheDocument();
    expect(redirectTo).not.toHaveBeenCalled();
  });

  it('says clearly when the account came back connected', async () => {
    mockAccountsApi();
    renderApp(`/accounts?connected=${ACCOUNT_ID}`);
    expect(await screen.findByText('eBay account connected')).toBeInTheDocument();
    expect(
      await screen.findByText(/Main Store \(sandbox\) is connected as eBay user main_seller/),
    ).toBeInTheDocument();
  });

  it('says clearly when connecting failed, in its own words: never text from the URL', async () => {
    mockAccountsApi();
    const phishing = encodeURIComponent(
      'Security notice: re-enter your eBay password at https://evil.example',
    );
    renderApp(`/accounts?connect_error=access_denied&message=${phishing}`);
    expect(await screen.findByText('Connecting the eBay account failed')).toBeInTheDocument();
    expect(
      screen.getByText('The seller declined to grant access at eBay. (access_denied)'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Security notice|evil\.example/)).not.toBeInTheDocument();
  });

  it('shows the generic text for an unknown code, and no code that is not a plain code', async () => {
    mockAccountsApi();
    renderApp(`/accounts?connect_error=${encodeURIComponent('Call +1 555 0100 now')}&message=x`);
    const banner = (await screen.findByText('Connecting the eBay account failed')).closest(
      '[role="alert"]',
    ) as HTMLElement;
    expect(banner).toHaveTextContent(
      'eBay did not complete the connection. The terminal’s connect log has the details.',
    );
    expect(banner).not.toHaveTextContent(/555/);
  });

  it('opens an account’s connect log in the terminal with kind=connect', async () => {
    const api = mockAccountsApi();
    const user = userEvent.setup();
    renderApp('/accounts');
    const row = (await screen.findByRole('cell', { name: 'Main Store' })).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: 'Connect log' }));
    const log = await screen.findByRole('log', { name: 'Connect log — Main Store (sandbox)' });
    expect(await within(log).findByText(/source=connect connect_completed/)).toHaveAttribute(
      'data-tone',
      'connect',
    );
    const call = api.calls.find((c) => c.path.endsWith('/terminal-logs'));
    expect(call?.query.get('kind')).toBe('connect');
    expect(call?.query.get('ebay_account_id')).toBe(ACCOUNT_ID);
  });

  it('offers no connect or refresh buttons to a viewer', async () => {
    mockAccountsApi('viewer');
    renderApp('/accounts');
    await screen.findByRole('cell', { name: 'Main Store' });
    expect(screen.queryByRole('button', { name: 'Connect eBay account' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reconnect' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Refresh now' })).not.toBeInTheDocument();
  });
});
