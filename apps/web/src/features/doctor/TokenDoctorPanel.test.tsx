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
  key_ring: { source: 'file', location: './data/token-encryption-keys' },
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
    waiting_for_key: 0,
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
    refresh_after: apply
      ? { due_now: 1, cycle_requested_at: '2026-06-01T00:00:05.000Z', worker_running: true }
      : null,
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

  it('chooses repairs by cause, lists what will change, and applies only the confirmed accounts', async () => {
    const api = mockDoctorApi();
    const user = userEvent.setup();
    renderWithProviders(<TokenDoctorPanel env="production" />);
    await screen.findByText(/3 accounts checked/);
    // There is no all-or-nothing button any more: the repair is reviewed first.
    expect(screen.queryByRole('button', { name: 'Apply repair' })).not.toBeInTheDocument();
    const corrupted = section('Does not decrypt (wrong key or corrupted)');
    await user.click(within(corrupted).getByRole('checkbox', { name: 'Include in the repair' }));
    await user.click(screen.getByRole('button', { name: 'Review repair…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Confirm token repair' });
    const repairs = () =>
      api.calls.filter((c) => c.path === '/api/admin/ebay/tokens/repair').map((c) => c.body);
    expect(repairs()).toEqual([
      { apply: false, env: 'production', causes: ['double_encrypted'], unknown_key: 'leave' },
    ]);
    expect(
      within(dialog).getByText('2 accounts will change. Untick any you want left as they are.'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Main Store')).toBeInTheDocument();
    expect(within(dialog).getByText(/refresh token: Unwrap to the inner token/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Apply repair to 1 account' }));
    expect(await screen.findByText('Repair applied: 2 of 3 accounts changed')).toBeInTheDocument();
    expect(repairs()[1]).toEqual({
      apply: true,
      env: 'production',
      causes: ['double_encrypted'],
      unknown_key: 'leave',
      ebay_account_ids: [ACCOUNT_ID],
    });
    expect(
      screen.getByText(
        /1 repaired accounts are due: the worker was asked to run a cycle now .* refreshes them within seconds/,
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.calls.filter((c) => c.path === '/api/admin/ebay/tokens/doctor').length).toBeGreaterThan(1),
    );
  });

  it('an account unticked in the confirmation is not repaired', async () => {
    const api = mockDoctorApi();
    const user = userEvent.setup();
    renderWithProviders(<TokenDoctorPanel />);
    await screen.findByText(/3 accounts checked/);
    await user.click(screen.getByRole('button', { name: 'Review repair…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Confirm token repair' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'Repair Main Store' }));
    expect(within(dialog).getByRole('button', { name: 'Apply repair to 0 accounts' })).toBeDisabled();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.calls.filter((c) => c.path === '/api/admin/ebay/tokens/repair')).toHaveLength(1);
  });

  it('leaves a missing key alone by default, saying where the key goes back', async () => {
    const lostKey = buildDoctorAccount({
      ebay_account_id: BROKEN_ACCOUNT_ID,
      house_name: 'Lost Key Store',
      refresh_token: { state: 'unknown_key_id', key_id: 'k2024' },
      problems: [
        {
          cause: 'unknown_key_id',
          token: 'refresh',
          severity: 'error',
          message: 'refresh token: encrypted with key "k2024", which is not in the key ring (known: k2)',
          repair: 'add_key_back',
        },
      ],
    });
    const api = mockDoctorApi('admin', {
      ...report,
      with_problems: 2,
      accounts: [buildDoctorAccount(), lostKey],
      by_cause: { double_encrypted: 1, unknown_key_id: 1 },
    });
    const user = userEvent.setup();
    renderWithProviders(<TokenDoctorPanel />);
    const group = await screen.findByRole('region', { name: 'Encrypted with a key that is not in the ring' });
    expect(
      within(group).getByText('Add the key back to the key ring; nothing to repair'),
    ).toBeInTheDocument();
    expect(within(group).getByText(/Add key "k2024" back to the key file/)).toBeInTheDocument();
    expect(within(group).getByText('./data/token-encryption-keys')).toBeInTheDocument();
    const giveUp = within(group).getByRole('checkbox', {
      name: 'The key is lost for good: mark these 1 accounts needs reconnect',
    });
    expect(giveUp).not.toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Review repair…' }));
    await screen.findByRole('dialog', { name: 'Confirm token repair' });
    expect(api.calls.find((c) => c.path === '/api/admin/ebay/tokens/repair')?.body).toEqual({
      apply: false,
      causes: ['double_encrypted'],
      unknown_key: 'leave',
    });
  });

  it('says "No accounts to check yet" for an empty org, not that everything is fine', async () => {
    mockDoctorApi('admin', {
      ...report,
      total: 0,
      healthy: 0,
      with_problems: 0,
      accounts: [],
      by_cause: {},
      by_repair: {},
    });
    renderWithProviders(<TokenDoctorPanel />);
    expect(await screen.findByText('No accounts to check yet')).toBeInTheDocument();
    expect(screen.queryByText(/Every token decrypts/)).not.toBeInTheDocument();
  });

  it('offers Reconnect for what only the seller can fix, starting the consent flow', async () => {
    const api = mockDoctorApi();
    const user = userEvent.setup();
    renderWithProviders(<TokenDoctorPanel />);
    await screen.findByText(/3 accounts checked/);
    const expiring = section('Refresh token expires within 30 days');
    await user.click(within(expiring).getByRole('button', { name: 'Reconnect' }));
    // The dialog names the seller who must sign in; only then off to eBay, bound to the account.
    const dialog = await screen.findByRole('dialog', { name: 'Reconnect Broken Store (sandbox)' });
    expect(within(dialog).getByTestId('reconnect-seller')).toHaveTextContent('main_seller');
    expect(redirectTo).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Continue to eBay as main_seller' }));
    await waitFor(() =>
      expect(redirectTo).toHaveBeenCalledWith('https://auth.ebay.com/oauth2/authorize?x=1'),
    );
    const start = api.calls.find((c) => c.path === '/api/admin/ebay/connect/start');
    expect(start?.body).toEqual({ ebay_account_id: BROKEN_ACCOUNT_ID });
  });

  it('shows a viewer the diagnosis without repair or reconnect buttons', async () => {
    mockDoctorApi('viewer');
    renderWithProviders(<TokenDoctorPanel />);
    await screen.findByText(/3 accounts checked/);
    expect(await screen.findByText('Only admins can repair tokens.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Review repair…' })).not.toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
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
