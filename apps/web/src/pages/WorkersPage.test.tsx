import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDateTime } from '../lib/time.ts';
import { FakeEventSource } from '../test/fakeEventSource.ts';
import { ACCOUNT_ID, buildTokenStatus } from '../test/fixtures.ts';
import { renderApp } from '../test/renderApp.tsx';
import { mockWorkersApi } from '../test/workersApi.ts';

const tableRow = (houseName: string) =>
  screen.getByRole('cell', { name: houseName }).closest('tr') as HTMLTableRowElement;

describe('Workers page', () => {
  beforeEach(() => FakeEventSource.install());
  afterEach(() => vi.unstubAllGlobals());

  it('shows the three cards and the per-account table with the report’s labels', async () => {
    mockWorkersApi();
    renderApp('/workers');

    expect(await screen.findByRole('heading', { name: 'Background loops' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Account selection' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Token refresh status' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Per-account token status' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'View token HTTP logs (JSON)' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'View raw HTTP token logs' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open token worker terminal' })).toBeInTheDocument();

    expect(await screen.findByText('token_refresh_worker')).toBeInTheDocument();
    expect(screen.getByText('stale')).toBeInTheDocument();
    expect(await screen.findByText('healthy: 1')).toBeInTheDocument();
    // The breakdown sits with the state its accounts are counted in: "needs reconnect: 1", not "failing: 0".
    expect(screen.getByText('needs reconnect: 1')).toBeInTheDocument();
    const cause = screen.getByRole('button', {
      name: 'Show the 1 needs reconnect accounts with invalid_grant',
    });
    expect(cause.closest('p')).toHaveTextContent('Needs reconnect by error code: invalid_grant ×1');
    expect(screen.queryByText(/Failing by error code/)).not.toBeInTheDocument();
    // The server may reuse a large org's counts for a few seconds: the card says from when.
    expect(screen.getByText(`as of ${formatDateTime('2025-12-01T12:00:03.000Z')}`)).toBeInTheDocument();

    const broken = tableRow('Broken Store');
    expect(within(broken).getByText('needs reconnect')).toBeInTheDocument();
    expect(within(broken).getByText(/invalid_grant ×3: the refresh token was revoked/)).toBeInTheDocument();
    expect(within(broken).getByRole('button', { name: 'Reconnect' })).toBeInTheDocument();
    expect(
      within(tableRow('Main Store')).queryByRole('button', { name: 'Reconnect' }),
    ).not.toBeInTheDocument();
  });

  it('gives focus back to the button after the worker terminal closes', async () => {
    mockWorkersApi();
    const user = userEvent.setup();
    renderApp('/workers');
    const open = await screen.findByRole('button', { name: 'Open token worker terminal' });
    await user.click(open);
    await screen.findByRole('dialog', { name: 'Token worker terminal' });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(open).toHaveFocus());
  });

  it('offers Reconnect where the cause says to reconnect (missing_scopes)', async () => {
    const message = 'requested scopes not granted by this account: sell.finances; reconnect to grant them';
    const partial = buildTokenStatus({
      state: 'failing',
      last_refresh_success: false,
      last_error_code: 'missing_scopes',
      last_error_message: message,
      consecutive_failures: 1,
    });
    mockWorkersApi({ rows: [partial] });
    renderApp('/workers');
    await screen.findByRole('cell', { name: 'Main Store' });
    expect(within(tableRow('Main Store')).getByRole('button', { name: 'Reconnect' })).toBeInTheDocument();
  });

  it('runs Refresh (debug) for the row and shows the exchange', async () => {
    const api = mockWorkersApi();
    const user = userEvent.setup();
    renderApp('/workers');
    await screen.findByRole('cell', { name: 'Main Store' });

    await user.click(within(tableRow('Main Store')).getByRole('button', { name: 'Refresh (debug)' }));

    const log = await screen.findByRole('log', { name: 'Token refresh (debug) output' });
    expect(await within(log).findByText('=== HTTP REQUEST ===')).toBeInTheDocument();
    expect(within(log).getByText('=== HTTP RESPONSE ===')).toBeInTheDocument();
    const call = api.calls.find((c) => c.path === '/api/admin/ebay/token/refresh-debug');
    expect(call?.method).toBe('POST');
    expect(call?.body).toEqual({ ebay_account_id: ACCOUNT_ID });
    expect(call?.headers['Content-Type']).toBe('application/json');
  });

  it('shows per account when a service last used it, and with which key', async () => {
    const usedAt = new Date(Date.now() - 120_000).toISOString();
    mockWorkersApi({
      rows: [
        buildTokenStatus({ last_used_at: usedAt, last_used_key_name: 'order sync' }),
        buildTokenStatus({
          ebay_account_id: 'ffffffff-ffff-4fff-8fff-ffffffffffff',
          house_name: 'Quiet Store',
        }),
      ],
    });
    renderApp('/workers');
    await screen.findByRole('cell', { name: 'Main Store' });
    expect(screen.getByRole('columnheader', { name: 'Last used by a service' })).toBeInTheDocument();
    const used = tableRow('Main Store');
    expect(within(used).getByText('by order sync')).toBeInTheDocument();
    expect(within(used).getByText('2 minutes ago')).toBeInTheDocument();
    expect(within(tableRow('Quiet Store')).queryByText(/^by /)).not.toBeInTheDocument();
  });

  it('shows each account’s refresh policy and whether the plan keeps it warm now', async () => {
    mockWorkersApi({
      rows: [
        buildTokenStatus(),
        buildTokenStatus({
          ebay_account_id: 'ffffffff-ffff-4fff-8fff-ffffffffffff',
          house_name: 'Quiet Store',
          refresh_policy: 'on_demand',
          effective_policy: 'on_demand',
          refresh_warm: false,
        }),
      ],
    });
    renderApp('/workers');
    await screen.findByRole('cell', { name: 'Main Store' });
    expect(screen.getByRole('columnheader', { name: 'Refresh policy' })).toBeInTheDocument();
    expect(within(tableRow('Main Store')).getByText('auto')).toHaveTextContent('auto (default)');
    expect(within(tableRow('Main Store')).getByText('warm now')).toBeInTheDocument();
    expect(within(tableRow('Quiet Store')).getByText('on demand')).not.toHaveTextContent('(default)');
    expect(within(tableRow('Quiet Store')).getByText('on demand now')).toBeInTheDocument();
    expect(within(tableRow('Quiet Store')).queryByText('warm now')).not.toBeInTheDocument();
  });

  it('hides refresh and connect buttons from a viewer', async () => {
    mockWorkersApi({ role: 'viewer' });
    renderApp('/workers');
    await screen.findByRole('cell', { name: 'Broken Store' });
    expect(screen.getAllByRole('button', { name: 'View log' })).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Refresh (debug)' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reconnect' })).not.toBeInTheDocument();
  });

  it('opens View log with the account’s refresh attempts', async () => {
    mockWorkersApi();
    const user = userEvent.setup();
    renderApp('/workers');
    await screen.findByRole('cell', { name: 'Main Store' });
    await user.click(within(tableRow('Main Store')).getByRole('button', { name: 'View log' }));
    const dialog = await screen.findByRole('dialog', { name: 'Refresh log — Main Store (sandbox)' });
    expect(
      await within(dialog).findByText('invalid_grant: the refresh token was revoked'),
    ).toBeInTheDocument();
  });

  it('opens the JSON log viewer from both links', async () => {
    mockWorkersApi();
    const user = userEvent.setup();
    renderApp('/workers');
    await user.click(await screen.findByRole('button', { name: 'View raw HTTP token logs' }));
    const dialog = await screen.findByRole('dialog', { name: 'Token HTTP logs (request & response)' });
    expect(await within(dialog).findByText('token_refreshed')).toBeInTheDocument();
    expect(within(dialog).getByText(/"status_code": 200/)).toBeInTheDocument();
  });

  it('keeps the account selection in the URL and preselects it in the terminal', async () => {
    const api = mockWorkersApi();
    const user = userEvent.setup();
    renderApp(`/workers?account=${ACCOUNT_ID}`);
    await screen.findByRole('cell', { name: 'Main Store' });
    expect(screen.queryByRole('cell', { name: 'Broken Store' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Open token worker terminal' }));

    expect(await screen.findByRole('log', { name: 'Token worker terminal' })).toBeInTheDocument();
    await waitFor(() =>
      expect(api.calls.find((c) => c.path.endsWith('/terminal-logs'))?.query.get('ebay_account_id')).toBe(
        ACCOUNT_ID,
      ),
    );
    expect(FakeEventSource.latestOpen()?.url).toContain(`ebay_account_id=${ACCOUNT_ID}`);
  });

  it('an empty org: "No accounts yet" with Connect, and no green doctor for 0 accounts', async () => {
    mockWorkersApi({ rows: [] });
    renderApp('/workers');
    expect(await screen.findByText('No accounts yet')).toBeInTheDocument();
    expect(screen.queryByText('No accounts match')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Connect eBay account' })).toBeInTheDocument();
    expect(await screen.findByText('No accounts to check yet')).toBeInTheDocument();
    expect(screen.queryByText(/Every token decrypts/)).not.toBeInTheDocument();
  });

  it('searches on the server', async () => {
    const api = mockWorkersApi();
    const user = userEvent.setup();
    renderApp('/workers');
    await screen.findByRole('cell', { name: 'Broken Store' });
    await user.type(screen.getAllByRole('textbox', { name: 'Search accounts' })[0]!, 'main');
    await waitFor(
      () => expect(screen.queryByRole('cell', { name: 'Broken Store' })).not.toBeInTheDocument(),
      // The debounce and a re-render of the table: seconds on a loaded two-core CI machine.
      { timeout: 10_000 },
    );
    expect(api.calls.some((c) => c.query.get('search') === 'main')).toBe(true);
  });

  it('shows the accounts behind a cause when it is clicked ("invalid_grant ×1"), and clears it', async () => {
    const api = mockWorkersApi();
    const user = userEvent.setup();
    renderApp('/workers');
    await user.click(
      await screen.findByRole('button', { name: 'Show the 1 needs reconnect accounts with invalid_grant' }),
    );
    await waitFor(() =>
      expect(
        api.calls.some(
          (c) => c.query.get('error_code') === 'invalid_grant' && c.query.get('state') === 'needs_reconnect',
        ),
      ).toBe(true),
    );
    const clear = await screen.findByRole('button', { name: 'Show every error, not only invalid_grant' });
    await user.click(clear);
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: /Show every error/ })).not.toBeInTheDocument(),
    );
  });

  it('sends a visitor without a session to the login page', async () => {
    mockWorkersApi();
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'Sign in' } }), {
            status: 401,
          }),
      ),
    );
    renderApp('/workers');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });
});
