import type { AccountDetail } from '@ebay-connector/contracts';
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../test/fakeEventSource.ts';
import { ACCOUNT_ID, buildAccount, buildLogEntry, buildMe, buildTokenStatus } from '../test/fixtures.ts';
import { jsonResponse, mockApi } from '../test/mockApi.ts';
import { renderApp } from '../test/renderApp.tsx';

const SCOPE = 'https://api.ebay.com/oauth/api_scope';
const FULFILLMENT = 'https://api.ebay.com/oauth/api_scope/sell.fulfillment';

function detail(overrides: Partial<AccountDetail> = {}): AccountDetail {
  return {
    account: { ...buildAccount(), updated_at: '2025-12-01T12:00:00.000Z' },
    token_status: buildTokenStatus(),
    granted_scopes: [SCOPE],
    missing_scopes: [FULFILLMENT],
    refresh_policy: {
      kind: 'default',
      interval_seconds: 600,
      threshold_seconds: 900,
      jitter_seconds: 133,
      policy: null,
      effective_policy: 'auto',
      warm: true,
    },
    last_used_at: null,
    ...overrides,
  };
}

function mockAccountPage(body: AccountDetail | Response = detail()) {
  return mockApi({
    'GET /api/auth/me': () => buildMe(),
    [`GET /api/admin/ebay/accounts/${ACCOUNT_ID}`]: () => body,
    [`POST /api/admin/ebay/accounts/${ACCOUNT_ID}/token-info`]: () => ({
      ebay_account_id: ACCOUNT_ID,
      environment: 'sandbox',
      access_token: { present: true, masked: 'v^1.1#i^…9xQz', expires_at: null, key_id: 'k2', decrypt: 'ok' },
      refresh_token: {
        masked: 'ENC:v1:k1:…Aq1x',
        expires_at: null,
        key_id: 'k1',
        decrypt: 'double_encrypted',
      },
      scopes: [SCOPE],
      version: 7,
    }),
    [`GET /api/admin/ebay/accounts/${ACCOUNT_ID}/refresh-log`]: () => ({
      logs: [
        {
          id: 9,
          started_at: '2025-12-01T12:00:00.000Z',
          finished_at: '2025-12-01T12:00:00.200Z',
          success: false,
          error_code: 'decrypt_failed',
          error_message: 'refresh token double_encrypted',
          triggered_by: 'scheduled',
          old_access_expires_at: null,
          new_access_expires_at: null,
          duration_ms: 1,
          connect_log_id: 3,
        },
      ],
    }),
    'GET /api/admin/ebay/tokens/terminal-logs': () => ({
      entries: [
        buildLogEntry({
          id: 4,
          action: 'account_disabled',
          source: 'manual',
          request: null,
          response: null,
          summary: { by: 'ops@example.com' },
        }),
      ],
      next_before_id: null,
    }),
    'GET /api/admin/ebay/accounts': () => ({ accounts: [buildAccount()] }),
  });
}

describe('Account page', () => {
  beforeEach(() => FakeEventSource.install());
  afterEach(() => vi.unstubAllGlobals());

  it('shows scopes, refresh policy, last use, token facts, refresh log and connect log in one place', async () => {
    const api = mockAccountPage();
    renderApp(`/accounts/${ACCOUNT_ID}`);
    expect(await screen.findByRole('heading', { name: 'Main Store', level: 2 })).toBeInTheDocument();
    const scopes = screen.getByRole('region', { name: 'Scopes' });
    expect(within(scopes).getByText('api_scope')).toBeInTheDocument();
    expect(within(scopes).getByText('api_scope/sell.fulfillment')).toBeInTheDocument();
    expect(within(scopes).getByText('Reconnect to grant them.')).toBeInTheDocument();
    const policy = screen.getByRole('region', { name: 'Refresh policy' });
    expect(
      within(policy).getByText(/expires within 15 min \+ 2 min 13 s \(this account’s jitter\)/),
    ).toBeInTheDocument();
    expect(within(policy).getByTestId('refresh-policy')).toHaveTextContent(
      'Auto (deployment default) · warm now',
    );
    expect(
      within(screen.getByRole('region', { name: 'Use by services' })).getByText('not recorded'),
    ).toBeInTheDocument();
    const facts = await screen.findByRole('region', { name: 'Token facts' });
    expect(within(facts).getByText('double_encrypted')).toBeInTheDocument();
    expect(within(facts).getByText(/key k1/)).toBeInTheDocument();
    expect(within(facts).getByText(/Each view of these facts is logged/)).toBeInTheDocument();
    const refreshes = screen.getByRole('region', { name: 'Refresh log' });
    expect(await within(refreshes).findByText(/decrypt_failed/)).toBeInTheDocument();
    const connect = screen.getByRole('region', { name: 'Connect log' });
    expect(await within(connect).findByText('account_disabled')).toBeInTheDocument();
    expect(within(connect).getByText('by ops@example.com')).toBeInTheDocument();
    // Token facts are a logged view: fetched once for the visit, by an explicit POST (never a GET).
    expect(api.calls.filter((c) => c.path.endsWith('/token-info')).map((c) => c.method)).toEqual(['POST']);
    expect(screen.getByRole('button', { name: 'Remove…' })).toBeInTheDocument();
  });

  it('shows one state, the Workers table’s, and what the last failure asks for', async () => {
    const failing = buildTokenStatus({
      state: 'failing',
      last_refresh_success: false,
      last_error_code: 'missing_scopes',
      last_error_message: 'requested scopes not granted by this account: sell.fulfillment',
      consecutive_failures: 1,
    });
    mockAccountPage(detail({ token_status: failing }));
    renderApp(`/accounts/${ACCOUNT_ID}`);
    const heading = await screen.findByRole('heading', { name: 'Main Store', level: 2 });
    const header = heading.parentElement as HTMLElement;
    expect(within(header).getByText('failing')).toBeInTheDocument();
    expect(within(header).queryByText('active')).not.toBeInTheDocument();
    expect(screen.getByText('reconnect needed (to grant the missing scopes)')).toBeInTheDocument();
  });

  it('a removed account still opens, says so, and offers nothing to do but read it', async () => {
    const api = mockAccountPage(
      detail({
        account: {
          ...buildAccount({ status: 'removed', status_reason: 'removed by ops@example.com' }),
          updated_at: '2025-12-01T12:00:00.000Z',
        },
        token_status: null,
      }),
    );
    renderApp(`/accounts/${ACCOUNT_ID}`);
    expect(await screen.findByText('This account was removed')).toBeInTheDocument();
    expect(screen.getByText(/removed by ops@example.com/)).toBeInTheDocument();
    expect(screen.getByText('none: erased when the account was removed')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove…' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reconnect' })).not.toBeInTheDocument();
    expect(api.calls.some((c) => c.path.endsWith('/token-info'))).toBe(false);
  });

  it('another org’s account is "No such account"', async () => {
    mockAccountPage(jsonResponse(404, { error: { code: 'not_found', message: 'eBay account not found' } }));
    renderApp(`/accounts/${ACCOUNT_ID}`);
    expect(await screen.findByText('No such account')).toBeInTheDocument();
  });
});
