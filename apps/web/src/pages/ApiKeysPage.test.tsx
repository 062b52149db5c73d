import type { ApiKey } from '@ebay-connector/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildMe } from '../test/fixtures.ts';
import { mockApi } from '../test/mockApi.ts';
import { renderApp } from '../test/renderApp.tsx';

const KEY_ID = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
const NEW_ID = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
const SECRET = 'ebc_Q2hvb3NlIGEgZ29vZCBrZXkgZm9yIHRoZSB0ZXN0cyBwbGVhc2U';

const apiKey = (overrides: Partial<ApiKey>): ApiKey => ({
  id: KEY_ID,
  name: 'order sync',
  scopes: ['tokens'],
  created_at: '2025-11-01T09:00:00.000Z',
  last_used_at: '2025-12-01T11:59:00.000Z',
  revoked_at: null,
  ...overrides,
});

function mockKeysApi(role: 'admin' | 'viewer' = 'admin') {
  let keys = [apiKey({})];
  return mockApi({
    'GET /api/auth/me': () => buildMe(role),
    'GET /api/admin/api-keys': () => ({ keys }),
    'POST /api/admin/api-keys': ({ body }) => {
      const { name, scopes } = body as { name: string; scopes: ApiKey['scopes'] };
      const created = apiKey({ id: NEW_ID, name, scopes, last_used_at: null });
      keys = [...keys, created];
      return { id: NEW_ID, name, scopes, created_at: created.created_at, key: SECRET };
    },
    [`DELETE /api/admin/api-keys/${KEY_ID}`]: () => {
      keys = keys.map((k) => (k.id === KEY_ID ? { ...k, revoked_at: '2025-12-01T12:00:00.000Z' } : k));
      return new Response(null, { status: 204 });
    },
  });
}

describe('Admin → API keys', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('creates a key and shows it once, with a copy button; closed, it is nowhere on the page', async () => {
    const api = mockKeysApi();
    const writeText = vi.fn().mockResolvedValue(undefined);
    const ui = userEvent.setup();
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderApp('/api-keys');
    await ui.click(await screen.findByRole('button', { name: 'Create API key' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create API key' });
    await ui.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'listing tool');
    await ui.click(within(dialog).getByRole('checkbox', { name: /proxy/ }));
    await ui.click(within(dialog).getByRole('button', { name: 'Create key' }));

    const shown = await screen.findByRole('dialog', { name: 'API key "listing tool" created' });
    expect(within(shown).getByTestId('issued-api-key')).toHaveTextContent(SECRET);
    expect(within(shown).getByText(/you will not see it again/)).toBeInTheDocument();
    await ui.click(within(shown).getByRole('button', { name: 'Copy key' }));
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'listing tool',
      scopes: ['tokens', 'proxy'],
    });

    await ui.click(within(shown).getByRole('button', { name: 'Done' }));
    const table = await screen.findByRole('table', { name: 'API keys' });
    expect(await within(table).findByText('listing tool')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('revokes a key after saying services get 401 at once', async () => {
    const api = mockKeysApi();
    const ui = userEvent.setup();
    renderApp('/api-keys');
    await ui.click(await screen.findByRole('button', { name: 'Revoke order sync' }));
    const confirm = await screen.findByRole('dialog', { name: 'Revoke order sync?' });
    expect(within(confirm).getByText(/get 401 at once/)).toBeInTheDocument();
    await ui.click(within(confirm).getByRole('button', { name: 'Revoke key' }));
    expect(await screen.findByText('revoked')).toBeInTheDocument();
    // The 204 is a success: the dialog closes, with no error.
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.queryByText('Not revoked')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revoke order sync' })).not.toBeInTheDocument();
    expect(api.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      `/api/admin/api-keys/${KEY_ID}`,
    ]);
  });

  it('shows a viewer the list, with its scopes and last use, but no way to create or revoke', async () => {
    mockKeysApi('viewer');
    renderApp('/api-keys');
    const table = await screen.findByRole('table', { name: 'API keys' });
    const row = within(table).getByText('order sync').closest('tr')!;
    expect(within(row as HTMLElement).getByText('tokens')).toBeInTheDocument();
    expect(within(row as HTMLElement).getByText('active')).toBeInTheDocument();
    expect(within(row as HTMLElement).getAllByRole('time')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Create API key' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'API keys' })).toBeInTheDocument();
  });
});
