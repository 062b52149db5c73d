import type { DoctorAccount, TokenDoctorReport, TokenRepairReport } from '@ebay-connector/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redirectTo } from '../../lib/redirect.ts';
import { ACCOUNT_ID, BROKEN_ACCOUNT_ID, buildMe } from '../../test/fixtures.ts';
import { mockApi } from '../../test/mockApi.ts';
import { renderWithProviders } from '../../test/renderApp.tsx';
import { TokenDoctorPanel } from './TokenDoctorPanel.tsx';

vi.mock('../../lib/redirect.ts', () => ({ redirectTo: vi.fn() }));

function buildDoctorAccount(overrides: Partial<DoctorAccount> = {}): DoctorAccount {
  return {
    ebay_account_id: ACCOUNT_ID,
    house_name: 'Main Store',
    environment: 'production',
    ebay_username: 'main_seller',
    status: 'active',
    status_reason: null,
    access_token: { state: 'ok', key_id: 'k2' },
    refresh_token: { state: 'double_encrypted', key_id: 'k2' },
    refresh_token_expires_at: '2027-06-01T00:00:00.000Z',
    missing_scopes: [],
    problems: [
      {
        cause: 'double_encrypted',
        token: 'refresh',
        severity: 'error',
        message: 'refresh token: encrypted more than once; the inner value is a valid eBay token',
        repair: 'unwrap',
      },
    ],
    ...overrides,
  };
}

const brokenAccount = buildDoctorAccount({
  ebay_account_id: BROKEN_ACCOUNT_ID,
  house_name: 'Broken Store',
  environment: 'sandbox',
  refresh_token: { state: 'auth_failed', key_id: 'k1' },
  problems: [
    {
      cause: 'auth_failed',
      token: 'refresh',
      severity: 'error',
      message: 'refresh token: authentication failed under key "k1"',
      repair: 'mark_needs_reconnect',
    },
    {
      cause: 'refresh_token_expiring',
      token: null,
      severity: 'warning',
      message: 'the refresh token expires within 30 days',
      repair: 'seller_reconnect',
    },
  ],
});

const report: TokenDoctorReport = {
  checked_at: '2026-06-01T00:00:00.000Z',
  current_key_id: 'k2',
  key_ids: ['k2', 'k1'],
  total: 3,
  healthy: 1,
  with_problems: 2,
  by_cause: { double_encrypted: 1, auth_failed: 1, refresh_token_expiring: 1 },
  by_repair: { unwrap: 1, mark_needs_reconnect: 1, seller_reconnect: 1 },
  accounts: [buildDoctorAccount(), brokenAccount],
  truncated: false,
};

function repairReport(apply: boolean): TokenRepairReport {
  return {
    apply,
    checked: 3,
    changed: 2,
    conflicts: 0,
    busy: 0,
    by_action: { unwrap: 1, mark_needs_reconnect: 1 },
    needs_seller: 1,
    accounts: [
      {
        ebay_account_id: ACCOUNT_ID,
        house_name: 'Main Store',
        environment: 'production',
        outcome: apply ? 'applied' : 'planned',
        steps: [{ token: 'refresh', action: 'unwrap', cause: 'double_encrypted', detail: '…' }],
      },
    ],
    truncated: false,
  };
}

function mockDoctorApi(role: 'admin' | 'viewer' = 'admin', doctor: TokenDoctorReport = report) {
  return mockApi({
    'GET /api/auth/me': () => buildMe(role),
    'GET /api/admin/ebay/tokens/doctor': () => doctor,
    'POST /api/admin/ebay/tokens/repair': ({ body }) => repairReport((body as { apply: boolean }).apply),
    'POST /api/admin/ebay/connect/start': () => ({
      authorize_url: 'https://auth.ebay.com/oauth2/authorize?x=1',
    }),
  });
}

const section = (title: string) => screen.getByRole('region', { name: title });

describe('Token doctor panel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists problems grouped by cause, errors first, with the repair that applies', async () => {
    mockDoctorApi();
    renderWithProviders(<TokenDoctorPanel />);
    expect(await screen.findByText(/3 accounts checked · 1 healthy · 2 with problems/)).toBeInTheDocument();
    const titles = screen.getAllByRole('heading', { level: 5 }).map((h) => h.textContent);
    expect(titles).toEqual([
      'Does not decrypt (wrong key or corrupted)',
      'Encrypted twice',
      'Refresh token expires within 30 days',
    ]);
    const twice = section('Encrypted twice');
    expect(within(twice).getByText('Main Store')).toBeInTheDocument();
    expect(within(twice).getByText('Unwrap to the inner token')).toBeInTheDocument();
    expect(within(twice).queryByRole('button', { name: 'Reconnect' })).not.toBeInTheDocument();
    const corrupted = section('Does not decrypt (wrong key or corrupted)');
    expect(
      within(corrupted).getByText('Mark needs reconnect; the seller must reconnect'),
    ).toBeInTheDocument();
  });

  it('previews the repair as a dry run, then applies it', async () => {
    const api = mockDoctorApi();
    const user = userEvent.setup();
    renderWithProviders(<TokenDoctorPanel env="production" />);
    await screen.findByText(/3 accounts checked/);
    const apply = screen.getByRole('button', { name: 'Apply repair' });
    expect(apply).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Preview repair' }));
    const preview = await screen.findByRole('alert');
    expect(within(preview).getByText('Dry run: 2 of 3 accounts would change')).toBeInTheDocument();
    expect(within(preview).getByText('Unwrap to the inner token: 1')).toBeInTheDocument();
    expect(within(preview).getByText('1 accounts will need the seller to reconnect.')).toBeInTheDocument();
    const repairs = () => api.calls.filter((c) => c.path === '/api/admin/ebay/tokens/repair');
    expect(repairs().map((c) => c.body)).toEqual([{ apply: false, env: 'production' }]);

    await waitFor(() => expect(apply).toBeEnabled());
    await user.click(apply);
    expect(await screen.findByText('Repair applied: 2 of 3 accounts changed')).toBeInTheDocument();
    expect(repairs().map((c) => c.body)).toEqual([
      { apply: false, env: 'production' },
      { apply: true, env: 'production' },
    ]);
    // The diagnosis is fetched again after the repair.
    await waitFor(() =>
      expect(api.calls.filter((c) => c.path === '/api/admin/ebay/tokens/doctor').length).toBeGreaterThan(1),
    );
    expect(screen.getByRole('button', { name: 'Apply repair' })).toBeDisabled();
  });

  it('offers Reconnect for what only the seller can fix, starting the consent flow', async () => {
    const api = mockDoctorApi();
    const user = userEvent.setup();
    renderWithProviders(<TokenDoctorPanel />);
    await screen.findByText(/3 accounts checked/);
    const expiring = section('Refresh token expires within 30 days');
    await user.click(within(expiring).getByRole('button', { name: 'Reconnect' }));
    await waitFor(() =>
      expect(redirectTo).toHaveBeenCalledWith('https://auth.ebay.com/oauth2/authorize?x=1'),
    );
    const start = api.calls.find((c) => c.path === '/api/admin/ebay/connect/start');
    expect(start?.body).toEqual({ environment: 'sandbox', house_name: 'Broken Store' });
  });

  it('shows a viewer the diagnosis without repair or reconnect buttons', async () => {
    mockDoctorApi('viewer');
    renderWithProviders(<TokenDoctorPanel />);
    await screen.findByText(/3 accounts checked/);
    expect(await screen.findByText('Only admins can repair tokens.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Preview repair' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reconnect' })).not.toBeInTheDocument();
  });

  it('says when every token is fine', async () => {
    mockDoctorApi('admin', {
      ...report,
      healthy: 3,
      with_problems: 0,
      accounts: [],
      by_cause: {},
      by_repair: {},
    });
    renderWithProviders(<TokenDoctorPanel />);
    expect(
      await screen.findByText('Every token decrypts under the current key into a valid eBay token.'),
    ).toBeInTheDocument();
  });
});
