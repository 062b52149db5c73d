import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { redirectTo } from '../../lib/redirect.ts';
import { FakeEventSource } from '../../test/fakeEventSource.ts';
import { ACCOUNT_ID, BROKEN_ACCOUNT_ID, buildAccount, buildMe } from '../../test/fixtures.ts';
import { mockApi } from '../../test/mockApi.ts';
import { renderApp } from '../../test/renderApp.tsx';

vi.mock('../../lib/redirect.ts', () => ({ redirectTo: vi.fn() }));

const summit = buildAccount({
  id: BROKEN_ACCOUNT_ID,
  house_name: 'Summit Outdoor',
  environment: 'production',
  ebay_user_id: 'u-summit',
  ebay_username: 'summit_outdoor',
  status: 'needs_reconnect',
});

function mockAccounts(accounts = [buildAccount(), summit], role: 'admin' | 'viewer' = 'admin') {
  let current = accounts;
  return mockApi({
    'GET /api/auth/me': () => buildMe(role),
    'GET /api/admin/ebay/accounts': () => ({ accounts: current }),
    'POST /api/admin/ebay/connect/start': () => ({ authorize_url: 'http://sim/oauth2/authorize?state=s' }),
    [`POST /api/admin/ebay/accounts/${ACCOUNT_ID}/disable`]: () => {
      current = current.map((a) => (a.id === ACCOUNT_ID ? { ...a, status: 'disabled' as const } : a));
      return { account: current[0] };
    },
    [`POST /api/admin/ebay/accounts/${BROKEN_ACCOUNT_ID}/remove`]: () => {
      current = current.filter((a) => a.id !== BROKEN_ACCOUNT_ID);
      return { account: { ...summit, status: 'removed' } };
    },
  });
}

const rowOf = async (name: string) =>
  (await screen.findByRole('link', { name })).closest('tr') as HTMLElement;

describe('Reconnect and managing accounts (Accounts page)', () => {
  beforeEach(() => FakeEventSource.install());
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.mocked(redirectTo).mockReset();
  });

  it('Reconnect names the seller who must sign in and binds the flow to the account', async () => {
    const api = mockAccounts();
    const user = userEvent.setup();
    renderApp('/accounts');
    await user.click(within(await rowOf('Summit Outdoor')).getByRole('button', { name: 'Reconnect' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reconnect Summit Outdoor (production)' });
    expect(within(dialog).getByTestId('reconnect-seller')).toHaveTextContent('summit_outdoor');
    expect(within(dialog).getByText(/eBay user id u-summit/)).toBeInTheDocument();
    expect(
      within(dialog).getByText(/If you sign in as another seller, nothing is stored for Summit Outdoor/),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Continue to eBay as summit_outdoor' }));
    await vi.waitFor(() => expect(redirectTo).toHaveBeenCalled());
    expect(api.calls.find((c) => c.path === '/api/admin/ebay/connect/start')?.body).toEqual({
      ebay_account_id: BROKEN_ACCOUNT_ID,
    });
  });

  it('a reconnect as another seller says nothing was changed, and offers two separate next steps', async () => {
    const api = mockAccounts();
    const user = userEvent.setup();
    renderApp(
      `/accounts?connect_error=wrong_seller&message=${encodeURIComponent('Forged text')}&account=${BROKEN_ACCOUNT_ID}&signed_in_as=someone_else`,
    );
    expect(
      await screen.findByText('Signed in as the wrong seller: nothing was changed for Summit Outdoor'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "You signed in at eBay as someone_else, but Summit Outdoor (production) is eBay user summit_outdoor. Nothing was stored: the account is unchanged and someone_else's grant was discarded. Reconnect again and sign in as summit_outdoor.",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Forged text/)).not.toBeInTheDocument();
    expect(screen.queryByText(/is connected as eBay user someone_else/)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reconnect Summit Outdoor again' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Connect someone_else as a new account' }));
    const dialog = await screen.findByRole('dialog', { name: 'Connect eBay account' });
    expect(within(dialog).getByText(/A new account for someone_else/)).toBeInTheDocument();
    await user.type(within(dialog).getByRole('textbox', { name: /House name/ }), 'Someone Else Shop');
    await user.click(within(dialog).getByRole('button', { name: 'Continue to eBay' }));
    await vi.waitFor(() => expect(redirectTo).toHaveBeenCalled());
    // A new, unbound connection: the other seller signs in again; nothing of theirs was kept.
    expect(api.calls.find((c) => c.path === '/api/admin/ebay/connect/start')?.body).toEqual({
      environment: 'production',
      house_name: 'Someone Else Shop',
    });
  });

  it('offers no "new account" when the seller who signed in is connected here already', async () => {
    mockAccounts();
    renderApp(
      `/accounts?connect_error=wrong_seller&message=m&account=${BROKEN_ACCOUNT_ID}&signed_in_as=main_seller&existing=${ACCOUNT_ID}`,
    );
    await screen.findByText(/Signed in as the wrong seller/);
    expect(screen.queryByRole('button', { name: /as a new account/ })).not.toBeInTheDocument();
    expect(
      await screen.findByText(/main_seller is already connected here as Main Store\./),
    ).toBeInTheDocument();
  });

  it('shows no signed_in_as that is not an eBay username', async () => {
    mockAccounts();
    renderApp(
      `/accounts?connect_error=wrong_seller&account=${BROKEN_ACCOUNT_ID}&signed_in_as=${encodeURIComponent('Security notice: call us')}`,
    );
    expect(await screen.findByText(/You signed in at eBay as another seller/)).toBeInTheDocument();
    expect(screen.queryByText(/Security notice/)).not.toBeInTheDocument();
  });

  it('a successful reconnect says reconnected', async () => {
    mockAccounts();
    renderApp(`/accounts?connected=${BROKEN_ACCOUNT_ID}&reconnected=1`);
    expect(await screen.findByText('eBay account reconnected')).toBeInTheDocument();
    expect(
      await screen.findByText(/Summit Outdoor \(production\) is reconnected as eBay user summit_outdoor/),
    ).toBeInTheDocument();
  });

  it('disables an account after saying what that does', async () => {
    const api = mockAccounts();
    const user = userEvent.setup();
    renderApp('/accounts');
    await user.click(within(await rowOf('Main Store')).getByRole('button', { name: 'Manage Main Store' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Disable…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Disable Main Store (sandbox)?' });
    expect(within(dialog).getByText(/The worker stops refreshing it/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Disable account' }));
    await vi.waitFor(() =>
      expect(api.calls.some((c) => c.path.endsWith(`${ACCOUNT_ID}/disable`))).toBe(true),
    );
    expect(await within(await rowOf('Main Store')).findByText('disabled')).toBeInTheDocument();
  });

  it('removes an account only once its house name is typed, and it leaves the list', async () => {
    const api = mockAccounts();
    const user = userEvent.setup();
    renderApp('/accounts');
    await user.click(
      within(await rowOf('Summit Outdoor')).getByRole('button', { name: 'Manage Summit Outdoor' }),
    );
    await user.click(await screen.findByRole('menuitem', { name: 'Remove…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove Summit Outdoor (production)?' });
    expect(within(dialog).getByText(/tokens are erased now/)).toBeInTheDocument();
    expect(within(dialog).getByText(/refresh log and connect log stay/)).toBeInTheDocument();
    const remove = within(dialog).getByRole('button', { name: 'Remove account' });
    expect(remove).toBeDisabled();
    await user.type(within(dialog).getByRole('textbox'), 'Summit Outdoor');
    await user.click(remove);
    await vi.waitFor(() =>
      expect(screen.queryByRole('link', { name: 'Summit Outdoor' })).not.toBeInTheDocument(),
    );
    expect(api.calls.filter((c) => c.path.endsWith('/remove'))).toHaveLength(1);
  });

  it('an empty org says "No accounts yet" and offers Connect, not "No accounts match"', async () => {
    mockAccounts([]);
    const user = userEvent.setup();
    renderApp('/accounts');
    expect(await screen.findByText('No accounts yet')).toBeInTheDocument();
    expect(screen.queryByText('No accounts match')).not.toBeInTheDocument();
    const connects = screen.getAllByRole('button', { name: 'Connect eBay account' });
    await user.click(connects.at(-1)!);
    expect(await screen.findByRole('dialog', { name: 'Connect eBay account' })).toBeInTheDocument();
  });

  it('viewers can open the account page but get no management actions', async () => {
    mockAccounts(undefined, 'viewer');
    const user = userEvent.setup();
    renderApp('/accounts');
    await user.click(within(await rowOf('Main Store')).getByRole('button', { name: 'Manage Main Store' }));
    expect(await screen.findByRole('menuitem', { name: 'Open account page' })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: 'Disable…' })).not.toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: 'Remove…' })).not.toBeInTheDocument();
  });
});
