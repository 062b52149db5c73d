import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../test/fakeEventSource.ts';
import { buildMe } from '../test/fixtures.ts';
import { jsonResponse, mockApi } from '../test/mockApi.ts';
import { renderApp } from '../test/renderApp.tsx';

describe('Choosing a password', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('an invite link: the token goes in the body, never the URL, and the new password signs you in', async () => {
    FakeEventSource.install();
    let signedIn = false;
    const api = mockApi({
      'GET /api/auth/me': () =>
        signedIn ? buildMe('viewer') : jsonResponse(401, { error: { code: 'unauthorized', message: 'no' } }),
      'POST /api/auth/password-link/info': () => ({
        email: 'new@example.com',
        org_name: 'Demo org',
        purpose: 'invite',
        expires_at: '2025-12-08T12:00:00.000Z',
      }),
      'POST /api/auth/password-link': () => {
        signedIn = true;
        return buildMe('viewer');
      },
      'GET /api/admin/ebay/workers/loop-status': () => ({ loops: [] }),
    });
    const user = userEvent.setup();
    renderApp('/set-password#tok-123');
    expect(await screen.findByRole('heading', { name: 'Welcome' })).toBeInTheDocument();
    expect(screen.getByText('new@example.com · Demo org')).toBeInTheDocument();
    await user.type(screen.getAllByLabelText(/New password/)[0]!, 'short');
    const submit = screen.getByRole('button', { name: 'Set password and sign in' });
    expect(submit).toBeDisabled();
    await user.clear(screen.getAllByLabelText(/New password/)[0]!);
    await user.type(screen.getAllByLabelText(/New password/)[0]!, 'a-long-enough-password');
    await user.type(screen.getByLabelText(/New password again/), 'a-long-enough-password');
    await user.click(submit);
    expect(await screen.findByRole('heading', { name: 'Workers' })).toBeInTheDocument();
    const use = api.calls.find((c) => c.path === '/api/auth/password-link');
    expect(use?.body).toEqual({ token: 'tok-123', password: 'a-long-enough-password' });
    expect(
      api.calls.every((c) => !c.path.includes('tok-123') && !c.query.toString().includes('tok-123')),
    ).toBe(true);
  });

  it('an expired link says what to do', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(401, { error: { code: 'unauthorized', message: 'no' } }),
      'POST /api/auth/password-link/info': () =>
        jsonResponse(410, {
          error: { code: 'link_expired', message: 'this link has expired; ask an admin for a new one' },
        }),
    });
    renderApp('/set-password#old');
    expect(await screen.findByText(/this link has expired; ask an admin for a new one/)).toBeInTheDocument();
  });

  it('after a one-time password, nothing but choosing your own until it is done', async () => {
    FakeEventSource.install();
    let changed = false;
    const api = mockApi({
      'GET /api/auth/me': () => ({
        ...buildMe('viewer'),
        ...(changed ? {} : { password_change_required: true }),
      }),
      'POST /api/auth/password': () => {
        changed = true;
        return buildMe('viewer');
      },
      'GET /api/admin/ebay/workers/loop-status': () => ({ loops: [] }),
    });
    const user = userEvent.setup();
    renderApp('/workers');
    expect(await screen.findByRole('heading', { name: 'Choose your password' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Workers' })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText(/One-time password/), 'otp-value');
    await user.type(screen.getAllByLabelText(/New password/)[0]!, 'my-own-long-password');
    await user.type(screen.getByLabelText(/New password again/), 'my-own-long-password');
    await user.click(screen.getByRole('button', { name: 'Save password' }));
    expect(await screen.findByRole('heading', { name: 'Workers' })).toBeInTheDocument();
    expect(api.calls.find((c) => c.path === '/api/auth/password')?.body).toEqual({
      current_password: 'otp-value',
      new_password: 'my-own-long-password',
    });
  });
});
