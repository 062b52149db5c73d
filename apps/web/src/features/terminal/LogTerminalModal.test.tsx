import type { LogEntry } from '@ebay-connector/contracts';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatHourMinute } from '../../lib/time.ts';
import { FakeEventSource } from '../../test/fakeEventSource.ts';
import {
  buildAccount,
  buildCycleEntry,
  buildDecryptFailedEntry,
  buildLogEntry,
  MASKED_REFRESH,
} from '../../test/fixtures.ts';
import { mockApi } from '../../test/mockApi.ts';
import { renderWithProviders } from '../../test/renderApp.tsx';
import { LogTerminalModal } from './LogTerminalModal.tsx';

function serveEntries(entries: LogEntry[], older: LogEntry[] = []) {
  return mockApi({
    'GET /api/admin/ebay/accounts': () => ({ accounts: [buildAccount()] }),
    'GET /api/admin/ebay/tokens/terminal-logs': ({ query }) => {
      const sources = query.get('source')?.split(',') ?? [];
      const page = query.get('before_id') ? older : entries;
      const shown = page.filter((entry) => sources.length === 0 || sources.includes(entry.source));
      // newest first, like the API
      return {
        entries: [...shown].sort((a, b) => b.id - a.id),
        next_before_id:
          query.get('before_id') || older.length === 0 ? null : Math.min(...entries.map((e) => e.id)),
      };
    },
  });
}

function renderTerminal() {
  return renderWithProviders(
    <LogTerminalModal opened onClose={() => {}} title="Token worker terminal" kind="token" />,
  );
}

const terminalLog = () => screen.getByRole('log', { name: 'Token worker terminal' });
/** A multi-select's visible input (Mantine also labels its hidden value input). */
const picker = (name: string) =>
  screen.getAllByLabelText(name).find((el) => el.getAttribute('type') !== 'hidden') as HTMLElement;
const rowWith = (text: string) => within(terminalLog()).getByText(text, { exact: false });

describe('Token worker terminal', () => {
  beforeEach(() => {
    FakeEventSource.install();
    localStorage.clear();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('says it is loading, not "0 entries · start of log", until the first page is in', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => new Promise<Response>(() => {})),
    );
    renderTerminal();
    expect(await screen.findByText('loading entries…')).toBeInTheDocument();
    expect(screen.queryByText(/start of log/)).not.toBeInTheDocument();
  });

  it('prints entries oldest first with source labels, colours and cycle markers', async () => {
    serveEntries([
      buildCycleEntry({ due: 0 }, { id: 1 }),
      buildLogEntry({ id: 2, source: 'scheduled' }),
      buildLogEntry({ id: 3, source: 'debug', house_name: 'Debug Store' }),
      buildDecryptFailedEntry({ id: 4, source: 'manual' }),
    ]);
    renderTerminal();

    await waitFor(() => expect(rowWith('source=scheduled')).toBeInTheDocument());
    const headers = within(terminalLog()).getAllByText(/source=|──── cycle/);
    expect(headers.map((node) => node.textContent)).toEqual([
      expect.stringMatching(/^──── cycle .* — 0 due/),
      expect.stringContaining('source=scheduled'),
      expect.stringContaining('source=debug'),
      expect.stringContaining('source=manual'),
    ]);
    expect(headers.map((node) => node.getAttribute('data-tone'))).toEqual([
      'cycle',
      'scheduled',
      'debug',
      'error',
    ]);
    expect(within(terminalLog()).getAllByText('=== HTTP REQUEST ===')).toHaveLength(2);
    expect(within(terminalLog()).getAllByText('=== HTTP RESPONSE ===')).toHaveLength(2);
    expect(
      within(terminalLog()).getAllByText(new RegExp(`refresh_token=${escapeRegExp(MASKED_REFRESH)}`)),
    ).toHaveLength(2);
    expect(rowWith('error: decrypt_failed')).toHaveAttribute('data-tone', 'error');
  });

  it('filters by source on the server and in the view', async () => {
    const api = serveEntries([
      buildLogEntry({ id: 2, source: 'scheduled' }),
      buildLogEntry({ id: 3, source: 'debug' }),
    ]);
    const user = userEvent.setup();
    renderTerminal();
    await waitFor(() => expect(rowWith('source=scheduled')).toBeInTheDocument());

    await user.click(screen.getByRole('checkbox', { name: 'debug' }));

    await waitFor(() =>
      expect(within(terminalLog()).queryByText(/source=scheduled/)).not.toBeInTheDocument(),
    );
    expect(rowWith('source=debug')).toBeInTheDocument();
    expect(api.calls.at(-1)?.query.get('source')).toBe('debug');
  });

  it('shows only failures with "Errors only"', async () => {
    const api = serveEntries([
      buildLogEntry({ id: 2 }),
      buildDecryptFailedEntry({ id: 3, source: 'scheduled' }),
    ]);
    const user = userEvent.setup();
    renderTerminal();
    await waitFor(() => expect(rowWith('token_refreshed')).toBeInTheDocument());

    await user.click(screen.getByRole('switch', { name: 'Errors only' }));

    await waitFor(() => expect(within(terminalLog()).queryByText(/token_refreshed/)).not.toBeInTheDocument());
    expect(rowWith('token_refresh_failed')).toBeInTheDocument();
    expect(api.calls.at(-1)?.query.get('errors_only')).toBe('true');
  });

  it('searches the whole history on the server as you type, from 3 characters', async () => {
    const old = buildDecryptFailedEntry({ id: 1, source: 'scheduled', house_name: 'Old Shop' });
    const api = mockApi({
      'GET /api/admin/ebay/accounts': () => ({ accounts: [buildAccount()] }),
      'GET /api/admin/ebay/tokens/terminal-logs': ({ query }) => ({
        entries: query.get('q') === 'old shop' ? [old] : [buildLogEntry({ id: 9, house_name: 'New Shop' })],
        next_before_id: null,
      }),
    });
    const user = userEvent.setup();
    renderTerminal();
    await waitFor(() => expect(rowWith('account="New Shop"')).toBeInTheDocument());
    const box = screen.getByRole('textbox', { name: 'Search the log' });

    await user.type(box, 'ol');
    expect(await screen.findByText('at least 3 characters')).toBeInTheDocument();
    await user.type(box, 'd shop');

    await waitFor(() => expect(rowWith('account="Old Shop"')).toBeInTheDocument());
    expect(within(terminalLog()).queryByText(/New Shop/)).not.toBeInTheDocument();
    const searches = api.calls.map((c) => c.query.get('q')).filter(Boolean);
    expect(searches).toEqual(['old shop']); // one request, after typing stopped
    // Searching history: the live tail (which cannot search) is off meanwhile.
    expect(screen.getByText('live off')).toBeInTheDocument();
  });

  it('filters by error code and action on the server', async () => {
    const api = serveEntries([
      buildLogEntry({ id: 2 }),
      buildDecryptFailedEntry({ id: 3, source: 'scheduled' }),
    ]);
    const user = userEvent.setup();
    renderTerminal();
    await waitFor(() => expect(rowWith('token_refreshed')).toBeInTheDocument());

    await user.click(picker('Error code filter'));
    await user.click(await screen.findByRole('option', { name: 'decrypt_failed', hidden: true }));

    await waitFor(() => expect(api.calls.at(-1)?.query.get('error_code')).toBe('decrypt_failed'));
    await waitFor(() => expect(within(terminalLog()).queryByText(/token_refreshed/)).not.toBeInTheDocument());
    expect(rowWith('token_refresh_failed')).toBeInTheDocument();

    await user.click(picker('Action filter'));
    await user.click(await screen.findByRole('option', { name: 'token_refresh_failed', hidden: true }));
    await waitFor(() => expect(api.calls.at(-1)?.query.get('action')).toBe('token_refresh_failed'));
  });

  it('appends live entries from the stream at the bottom', async () => {
    serveEntries([buildLogEntry({ id: 2, source: 'scheduled' })]);
    renderTerminal();
    await waitFor(() => expect(rowWith('source=scheduled')).toBeInTheDocument());
    const stream = FakeEventSource.latestOpen();
    expect(stream?.url).toBe('/api/admin/ebay/tokens/terminal-stream?kind=token&after_id=2');

    act(() => stream?.emit(buildLogEntry({ id: 9, source: 'manual', house_name: 'Live Store' })));

    await waitFor(() => expect(rowWith('account="Live Store"')).toBeInTheDocument());
    const headers = within(terminalLog()).getAllByText(/source=/);
    expect(headers.at(-1)?.textContent).toContain('source=manual');
    expect(screen.getByText('live')).toBeInTheDocument();
  });

  it('stops the stream when Live is switched off', async () => {
    serveEntries([buildLogEntry({ id: 2 })]);
    const user = userEvent.setup();
    renderTerminal();
    await waitFor(() => expect(FakeEventSource.latestOpen()).toBeDefined());

    await user.click(screen.getByRole('switch', { name: 'Live' }));

    expect(FakeEventSource.latestOpen()).toBeUndefined();
    expect(screen.getByText('live off')).toBeInTheDocument();
  });

  it('is named by its title alone and announces the stream state and the new-entry count', async () => {
    serveEntries([buildLogEntry({ id: 2, source: 'scheduled' })]);
    renderTerminal();
    const dialog = await screen.findByRole('dialog', { name: 'Token worker terminal' });
    // The actions sit in the header, outside the title that names the dialog.
    expect(within(dialog).getByRole('switch', { name: 'Live' })).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Copy all' })).toBeInTheDocument();
    const statuses = () =>
      within(dialog)
        .getAllByRole('status')
        .map((node) => node.textContent);
    await waitFor(() => expect(statuses()).toContain('live'));

    // Scrolled up, the view stays put and counts what arrives below.
    const log = terminalLog();
    Object.defineProperties(log, {
      scrollHeight: { configurable: true, value: 4000 },
      clientHeight: { configurable: true, value: 400 },
      scrollTop: { configurable: true, writable: true, value: 1000 },
    });
    fireEvent.scroll(log);
    await waitFor(() => expect(statuses()).toContain('paused while scrolled up'));
    const stream = FakeEventSource.latestOpen();
    act(() => {
      stream?.emit(buildLogEntry({ id: 9, source: 'manual' }));
      stream?.emit(buildLogEntry({ id: 10, source: 'manual' }));
    });
    await waitFor(() => expect(statuses()).toContain('paused while scrolled up · 2 new'));
  });

  it('copies every line with Copy all', async () => {
    serveEntries([buildLogEntry({ id: 2, source: 'scheduled' }), buildDecryptFailedEntry({ id: 3 })]);
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    renderTerminal();
    await waitFor(() => expect(rowWith('source=scheduled')).toBeInTheDocument());

    await user.click(screen.getByRole('button', { name: 'Copy all' }));

    expect(writeText).toHaveBeenCalledTimes(1);
    const copied = writeText.mock.calls[0]?.[0] ?? '';
    expect(copied).toContain('source=scheduled  token_refreshed');
    expect(copied).toContain(
      '=== HTTP REQUEST ===\nPOST https://api.sandbox.ebay.com/identity/v1/oauth2/token',
    );
    expect(copied).toContain(`refresh_token=${MASKED_REFRESH}`);
    expect(copied).toContain('error: decrypt_failed');
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeInTheDocument();
  });

  it('shows one line an entry in Compact mode, copies what it shows and remembers the choice', async () => {
    serveEntries([
      buildCycleEntry({ due: 0 }, { id: 1 }),
      buildLogEntry({ id: 2, source: 'scheduled' }),
      buildDecryptFailedEntry({ id: 3 }),
    ]);
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    const view = renderTerminal();
    await waitFor(() => expect(rowWith('source=scheduled')).toBeInTheDocument());
    expect(within(terminalLog()).getAllByText('=== HTTP REQUEST ===')).toHaveLength(1);

    await user.click(screen.getByRole('switch', { name: 'Compact' }));

    await waitFor(() =>
      expect(within(terminalLog()).queryByText('=== HTTP REQUEST ===')).not.toBeInTheDocument(),
    );
    const rows = terminalLog().querySelectorAll('[data-tone]');
    expect([...rows].map((row) => row.textContent)).toEqual([
      expect.stringMatching(/^──── cycle .* — 0 due/),
      expect.stringMatching(/source=scheduled {2}token_refreshed .* HTTP 200 ok/),
      expect.stringMatching(/source=debug {2}token_refresh_failed .* no HTTP error=decrypt_failed/),
    ]);
    await user.click(screen.getByRole('button', { name: 'Copy all' }));
    const copied = writeText.mock.calls[0]?.[0] ?? '';
    expect(copied.split('\n')).toHaveLength(3);
    expect(copied).not.toContain('=== HTTP REQUEST ===');

    // Opened again, the terminal is still compact.
    view.unmount();
    renderTerminal();
    await waitFor(() => expect(rowWith('source=scheduled')).toBeInTheDocument());
    expect(screen.getByRole('switch', { name: 'Compact' })).toBeChecked();
    expect(within(terminalLog()).queryByText('=== HTTP REQUEST ===')).not.toBeInTheDocument();
  });

  it("shows one cycle's entries on a click on its marker, with a chip that clears it", async () => {
    const at = (time: string) => `2025-12-01T${time}Z`;
    const entries = [
      buildLogEntry({ id: 1, house_name: 'Before Store', created_at: at('11:50:00.000') }),
      buildLogEntry({ id: 2, house_name: 'Cycle Store', created_at: at('12:00:00.200') }),
      buildCycleEntry(
        { started_at: at('12:00:00.000'), finished_at: at('12:00:00.400'), due: 1, refreshed: 1 },
        { id: 3, created_at: at('12:00:00.400') },
      ),
      buildLogEntry({ id: 4, house_name: 'After Store', created_at: at('12:10:00.000') }),
    ];
    const api = mockApi({
      'GET /api/admin/ebay/accounts': () => ({ accounts: [buildAccount()] }),
      'GET /api/admin/ebay/tokens/terminal-logs': ({ query }) => {
        const from = Date.parse(query.get('from') ?? '') || -Infinity;
        const to = Date.parse(query.get('to') ?? '') || Infinity;
        const shown = entries.filter(
          (e) => Date.parse(e.created_at) >= from && Date.parse(e.created_at) < to,
        );
        return { entries: [...shown].reverse(), next_before_id: null };
      },
    });
    const user = userEvent.setup();
    renderTerminal();
    await waitFor(() => expect(rowWith('account="After Store"')).toBeInTheDocument());

    await user.click(within(terminalLog()).getByRole('button', { name: /──── cycle .* 1 due/ }));

    await waitFor(() => expect(within(terminalLog()).queryByText(/After Store/)).not.toBeInTheDocument());
    expect(within(terminalLog()).queryByText(/Before Store/)).not.toBeInTheDocument();
    expect(rowWith('account="Cycle Store"')).toBeInTheDocument();
    const last = api.calls.at(-1)?.query;
    expect([last?.get('from'), last?.get('to')]).toEqual([at('12:00:00.000'), at('12:00:00.401')]);
    expect(screen.getByText('live off')).toBeInTheDocument();
    const chip = screen.getByRole('button', { name: /^cycle \d\d:\d\d/ });
    expect(chip).toHaveTextContent(`cycle ${formatHourMinute(at('12:00:00.000'))}`);

    await user.click(chip);

    await waitFor(() => expect(rowWith('account="Before Store"')).toBeInTheDocument());
    expect(screen.queryByRole('button', { name: /^cycle \d\d:\d\d/ })).not.toBeInTheDocument();
    expect(api.calls.at(-1)?.query.get('from')).toBeNull();
  });

  it('shows only recent entries for a time range, sending its start as from', async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const entries = [
      buildLogEntry({ id: 1, house_name: 'Last Week Store', created_at: ago(3 * 24 * 60) }),
      buildLogEntry({ id: 2, house_name: 'This Morning Store', created_at: ago(120) }),
      buildLogEntry({ id: 3, house_name: 'Recent Store', created_at: ago(30) }),
    ];
    const api = mockApi({
      'GET /api/admin/ebay/accounts': () => ({ accounts: [buildAccount()] }),
      'GET /api/admin/ebay/tokens/terminal-logs': ({ query }) => {
        const from = Date.parse(query.get('from') ?? '') || -Infinity;
        const shown = entries.filter((e) => Date.parse(e.created_at) >= from);
        return { entries: [...shown].reverse(), next_before_id: null };
      },
    });
    const user = userEvent.setup();
    renderTerminal();
    await waitFor(() => expect(rowWith('account="Last Week Store"')).toBeInTheDocument());
    expect(screen.getByRole('radio', { name: 'All time' })).toBeChecked();

    await user.click(screen.getByRole('radio', { name: 'Last hour' }));

    await waitFor(() =>
      expect(within(terminalLog()).queryByText(/This Morning Store/)).not.toBeInTheDocument(),
    );
    expect(within(terminalLog()).queryByText(/Last Week Store/)).not.toBeInTheDocument();
    expect(rowWith('account="Recent Store"')).toBeInTheDocument();
    const from = Date.parse(api.calls.at(-1)?.query.get('from') ?? '');
    expect(Math.abs(from - (Date.now() - 3_600_000))).toBeLessThan(10_000);
    expect(api.calls.at(-1)?.query.get('to')).toBeNull();
    // Recent entries keep arriving: the live tail stays on.
    expect(screen.getByText('live')).toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'Last 24 h' }));
    await waitFor(() => expect(rowWith('account="This Morning Store"')).toBeInTheDocument());
    expect(within(terminalLog()).queryByText(/Last Week Store/)).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: 'All time' }));
    await waitFor(() => expect(rowWith('account="Last Week Store"')).toBeInTheDocument());
    expect(api.calls.at(-1)?.query.get('from')).toBeNull();
  });

  it('shows a clicked cycle within a time range, and a new range replaces the cycle', async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const cycleStart = ago(20.1);
    const entries = [
      buildLogEntry({ id: 1, house_name: 'Old Store', created_at: ago(300) }),
      buildLogEntry({ id: 2, house_name: 'Cycle Store', created_at: ago(20) }),
      buildCycleEntry(
        { started_at: cycleStart, finished_at: ago(19.9), due: 1, refreshed: 1 },
        { id: 3, created_at: ago(19.9) },
      ),
      buildLogEntry({ id: 4, house_name: 'After Store', created_at: ago(5) }),
    ];
    const api = mockApi({
      'GET /api/admin/ebay/accounts': () => ({ accounts: [buildAccount()] }),
      'GET /api/admin/ebay/tokens/terminal-logs': ({ query }) => {
        const from = Date.parse(query.get('from') ?? '') || -Infinity;
        const to = Date.parse(query.get('to') ?? '') || Infinity;
        const shown = entries.filter(
          (e) => Date.parse(e.created_at) >= from && Date.parse(e.created_at) < to,
        );
        return { entries: [...shown].reverse(), next_before_id: null };
      },
    });
    const user = userEvent.setup();
    renderTerminal();
    await waitFor(() => expect(rowWith('account="Old Store"')).toBeInTheDocument());
    await user.click(screen.getByRole('radio', { name: 'Last hour' }));
    await waitFor(() => expect(within(terminalLog()).queryByText(/Old Store/)).not.toBeInTheDocument());

    await user.click(within(terminalLog()).getByRole('button', { name: /──── cycle .* 1 due/ }));

    await waitFor(() => expect(within(terminalLog()).queryByText(/After Store/)).not.toBeInTheDocument());
    expect(rowWith('account="Cycle Store"')).toBeInTheDocument();
    const cycleQuery = api.calls.at(-1)?.query;
    expect(cycleQuery?.get('from')).toBe(cycleStart);
    expect(cycleQuery?.get('to')).not.toBeNull();
    expect(screen.getByRole('radio', { name: 'Last hour' })).toBeChecked();

    // Clearing the cycle goes back to the range, not to all time.
    await user.click(screen.getByRole('button', { name: /^cycle \d\d:\d\d/ }));
    await waitFor(() => expect(rowWith('account="After Store"')).toBeInTheDocument());
    expect(within(terminalLog()).queryByText(/Old Store/)).not.toBeInTheDocument();

    // A range chosen while a cycle is shown replaces the cycle.
    await user.click(within(terminalLog()).getByRole('button', { name: /──── cycle .* 1 due/ }));
    await waitFor(() => expect(within(terminalLog()).queryByText(/After Store/)).not.toBeInTheDocument());
    await user.click(screen.getByRole('radio', { name: 'All time' }));
    await waitFor(() => expect(rowWith('account="Old Store"')).toBeInTheDocument());
    expect(rowWith('account="After Store"')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^cycle \d\d:\d\d/ })).not.toBeInTheDocument();
  });

  it('loads older entries by before_id above the newer ones', async () => {
    const api = serveEntries(
      [
        buildLogEntry({ id: 10, house_name: 'Newer Store' }),
        buildLogEntry({ id: 11, house_name: 'Newest Store' }),
      ],
      [buildLogEntry({ id: 5, house_name: 'Older Store' })],
    );
    renderTerminal();
    // jsdom lays nothing out, so the screen is never full and asks for older entries at once.
    await waitFor(() => expect(rowWith('account="Older Store"')).toBeInTheDocument());
    expect(api.calls.some((call) => call.query.get('before_id') === '10')).toBe(true);
    const headers = within(terminalLog())
      .getAllByText(/source=/)
      .map((node) => node.textContent);
    expect(headers.map((text) => text?.match(/account="([^"]+)"/)?.[1])).toEqual([
      'Older Store',
      'Newer Store',
      'Newest Store',
    ]);
  });

  it('says so when nothing matches', async () => {
    serveEntries([]);
    renderTerminal();
    expect(await screen.findByText(/No entries match these filters yet/)).toBeInTheDocument();
  });

  it('keeps the DOM small with 5,000 entries', async () => {
    const entries = Array.from({ length: 5000 }, (_, index) =>
      buildLogEntry({ id: index + 1, source: index % 2 ? 'debug' : 'scheduled' }),
    );
    serveEntries(entries);
    renderTerminal();
    await waitFor(() => expect(screen.getByText(/5,000 entries/)).toBeInTheDocument());
    expect(document.body.querySelectorAll('*').length).toBeLessThan(2000);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
