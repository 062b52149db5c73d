import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../test/fakeEventSource.ts';
import { buildMe } from '../test/fixtures.ts';
import { jsonResponse, mockApi } from '../test/mockApi.ts';
import { renderApp } from '../test/renderApp.tsx';
import { safeNextPath } from './LoginPage.tsx';

afterEach(() => vi.unstubAllGlobals());

function mockAuth(password: string) {
  let signedIn = false;
  return mockApi({
    'GET /api/auth/me': () =>
      signedIn ? buildMe() : jsonResponse(401, { error: { code: 'unauthorized', message: 'Sign in first' } }),
    'POST /api/auth/login': ({ body }) => {
      if ((body as { password: string }).password !== password) {
        return jsonResponse(401, {
          error: { code: 'invalid_credentials', message: 'Wrong email or password' },
        });
      }
      signedIn = true;
      return buildMe();
    },
    'POST /api/auth/logout': () => {
      signedIn = false;
      return { ok: true };
    },
    'GET /api/admin/ebay/accounts': () => ({ accounts: [] }),
    'GET /api/admin/ebay/workers/loop-status': () => ({ loops: [] }),
    'GET /api/admin/ebay/tokens/status': () => ({
      accounts: [],
      total: 0,
      counts: {},
      failing_by_code: {},
      needs_reconnect_by_code: {},
      counts_as_of: '2025-12-01T12:00:00.000Z',
    }),
  });
}

describe('Login', () => {
  it('signs in and returns to the page that was asked for, then logs out', async () => {
    FakeEventSource.install();
    const api = mockAuth('s3cret');
    const user = userEvent.setup();
    renderApp('/accounts');

    await user.type(await screen.findByLabelText(/Email/), 'admin@example.com');
    await user.type(screen.getByLabelText(/Password/), 's3cret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
    expect(await screen.findByText('No accounts yet')).toBeInTheDocument();
    expect(api.calls.find((c) => c.path === '/api/auth/login')?.body).toEqual({
      email: 'admin@example.com',
      password: 's3cret',
    });

    await user.click(screen.getByRole('button', { name: 'Logout' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('shows the server’s reason when sign-in fails', async () => {
    mockAuth('right');
    const user = userEvent.setup();
    renderApp('/login');
    await user.type(await screen.findByLabelText(/Email/), 'admin@example.com');
    await user.type(screen.getByLabelText(/Password/), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Wrong email or password (invalid_credentials)',
    );
  });

  it('only follows same-site paths after login', () => {
    expect(safeNextPath('/accounts?x=1')).toBe('/accounts?x=1');
    expect(safeNextPath('//evil.example')).toBe('/workers');
    expect(safeNextPath('https://evil.example')).toBe('/workers');
    expect(safeNextPath(null)).toBe('/workers');
  });
});
