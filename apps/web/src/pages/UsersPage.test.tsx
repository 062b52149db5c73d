import type { OrgUser } from '@ebay-connector/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildMe } from '../test/fixtures.ts';
import { jsonResponse, mockApi } from '../test/mockApi.ts';
import { renderApp } from '../test/renderApp.tsx';

const ME = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const OTHER = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

const user = (overrides: Partial<OrgUser>): OrgUser => ({
  id: OTHER,
  email: 'viewer@example.com',
  role: 'viewer',
  created_at: '2025-11-01T09:00:00.000Z',
  disabled_at: null,
  password_change_required: false,
  pending_link: null,
  ...overrides,
});

function mockUsersApi(role: 'admin' | 'viewer' = 'admin') {
  let users = [user({ id: ME, email: 'admin@example.com', role: 'admin' }), user({})];
  const me = { ...buildMe(role), user: { ...buildMe(role).user, id: ME } };
  return mockApi({
    'GET /api/auth/me': () => me,
    'GET /api/admin/ebay/accounts': () => ({ accounts: [] }),
    'GET /api/admin/users': () =>
      role === 'admin' ? { users } : jsonResponse(403, { error: { code: 'forbidden', message: 'no' } }),
    'POST /api/admin/users': ({ body }) => {
      const created = user({
        id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
        email: (body as { email: string }).email,
        pending_link: { purpose: 'invite', expires_at: '2025-12-08T12:00:00.000Z' },
      });
      users = [...users, created];
      return {
        user: created,
        one_time_password: null,
        link: { url: 'http://app.test/set-password#tok123', expires_at: '2025-12-08T12:00:00.000Z' },
      };
    },
    [`POST /api/admin/users/${OTHER}/role`]: () =>
      jsonResponse(409, { error: { code: 'last_admin', message: "this is the org's last active admin" } }),
    [`POST /api/admin/users/${OTHER}/disable`]: () => {
      users = users.map((u) => (u.id === OTHER ? { ...u, disabled_at: '2025-12-01T12:00:00.000Z' } : u));
      return { user: users[1] };
    },
    [`POST /api/admin/users/${OTHER}/reset-password`]: () => ({
      user: users[1],
      one_time_password: 'Ab3-one-time-password-xy',
      link: null,
    }),
  });
}

describe('Admin → Users', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('adds a user with an invite link, shown once with a way to copy it', async () => {
    const api = mockUsersApi();
    const ui = userEvent.setup();
    renderApp('/users');
    await ui.click(await screen.findByRole('button', { name: 'Add user' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add user' });
    await ui.type(within(dialog).getByRole('textbox', { name: 'Email' }), 'new@example.com');
    await ui.click(within(dialog).getByText('Admin (also acts)'));
    await ui.click(within(dialog).getByRole('button', { name: 'Add user' }));
    const shown = await screen.findByRole('dialog', { name: 'new@example.com added' });
    expect(within(shown).getByTestId('issued-credential')).toHaveTextContent(
      'http://app.test/set-password#tok123',
    );
    expect(within(shown).getByText(/Shown only now/)).toBeInTheDocument();
    expect(api.calls.find((c) => c.method === 'POST' && c.path === '/api/admin/users')?.body).toEqual({
      email: 'new@example.com',
      role: 'admin',
      credential: 'link',
    });
    await ui.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(await screen.findByText(/invited, until/)).toBeInTheDocument();
  });

  it('says why a role change was refused (the last admin)', async () => {
    mockUsersApi();
    const ui = userEvent.setup();
    renderApp('/users');
    await ui.selectOptions(
      await screen.findByRole('combobox', { name: 'Role of viewer@example.com' }),
      'admin',
    );
    expect(await screen.findByText(/last active admin/)).toBeInTheDocument();
  });

  it('cannot change your own role or manage yourself', async () => {
    mockUsersApi();
    renderApp('/users');
    expect(await screen.findByRole('combobox', { name: 'Role of admin@example.com' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Manage admin@example.com' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Manage viewer@example.com' })).toBeInTheDocument();
  });

  it('disables a user after saying their sessions end at once', async () => {
    const api = mockUsersApi();
    const ui = userEvent.setup();
    renderApp('/users');
    await ui.click(await screen.findByRole('button', { name: 'Manage viewer@example.com' }));
    await ui.click(await screen.findByRole('menuitem', { name: 'Disable…' }));
    const confirm = await screen.findByRole('dialog', { name: 'Disable viewer@example.com?' });
    expect(within(confirm).getByText(/signed out everywhere at once/)).toBeInTheDocument();
    await ui.click(within(confirm).getByRole('button', { name: 'Disable user' }));
    expect(await screen.findByText('disabled')).toBeInTheDocument();
    expect(api.calls.filter((c) => c.path.endsWith('/disable'))).toHaveLength(1);
  });

  it('resets a password with a one-time password, shown once', async () => {
    const api = mockUsersApi();
    const ui = userEvent.setup();
    renderApp('/users');
    await ui.click(await screen.findByRole('button', { name: 'Manage viewer@example.com' }));
    await ui.click(await screen.findByText('Reset password: one-time password…'));
    await ui.click(await screen.findByRole('button', { name: 'Make one-time password' }));
    const shown = await screen.findByRole('dialog', { name: 'New credential for viewer@example.com' });
    expect(within(shown).getByTestId('issued-credential')).toHaveTextContent('Ab3-one-time-password-xy');
    expect(api.calls.find((c) => c.path.endsWith('/reset-password'))?.body).toEqual({
      credential: 'one_time_password',
    });
  });

  it('is not for viewers: no nav link, and the page says so', async () => {
    mockUsersApi('viewer');
    renderApp('/users');
    expect(await screen.findByText('Only admins manage users')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Users' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add user' })).not.toBeInTheDocument();
  });
});
