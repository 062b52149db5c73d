import { onlineManager } from '@tanstack/react-query';
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatClockTime } from '../lib/time.ts';
import { FakeEventSource } from '../test/fakeEventSource.ts';
import { renderApp } from '../test/renderApp.tsx';
import { mockWorkersApi } from '../test/workersApi.ts';
import { DOWN_CHECK_MS, UP_CHECK_MS } from './connectivity.ts';

const BANNER = /^Cannot reach the server since (\d\d:\d\d:\d\d), retrying$/;

/** What the Workers page shows of its data: the loops, the counts and the table's rows. */
function expectLastData() {
  expect(screen.getByText('token_refresh_worker')).toBeInTheDocument();
  expect(screen.getByText('healthy: 1')).toBeInTheDocument();
  expect(screen.getByRole('cell', { name: 'Broken Store' })).toBeInTheDocument();
  expect(screen.queryByText('Could not load')).not.toBeInTheDocument();
  expect(screen.queryByText(/check your connection/)).not.toBeInTheDocument();
}

describe('the server going away and coming back (issue 16 defect 5)', () => {
  beforeEach(() => {
    FakeEventSource.install();
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    onlineManager.setOnline(true);
  });

  it('says since when it cannot reach the server, keeps the last data, and recovers within seconds', async () => {
    const api = mockWorkersApi();
    const answer = api.fetchMock.getMockImplementation();
    if (!answer) throw new Error('mockApi sets an implementation');
    let down = false;
    let triesWhileDown = 0;
    api.fetchMock.mockImplementation(async (input, init) => {
      if (!down) return answer(input, init);
      triesWhileDown++;
      throw new TypeError('Failed to fetch');
    });
    renderApp('/workers', { appRetries: true });
    await screen.findByText('token_refresh_worker');
    await screen.findByText('healthy: 1');
    await screen.findByRole('cell', { name: 'Broken Store' });

    down = true;
    const stoppedAt = Date.now();
    await act(() => vi.advanceTimersByTimeAsync(UP_CHECK_MS + 100));
    const banner = await screen.findByText(BANNER);
    // The time it says is the moment the page noticed: within the few seconds after the stop.
    const shown = banner.textContent?.match(BANNER)?.[1];
    const candidates = Array.from({ length: 7 }, (_, s) => formatClockTime(new Date(stoppedAt + s * 1000)));
    expect(candidates).toContain(shown);
    expectLastData();

    // Every card's polling comes round while the server is away: none turns to an error.
    await act(() => vi.advanceTimersByTimeAsync(45_000));
    expectLastData();
    expect(screen.getByText(BANNER)).toBeInTheDocument();
    // Waiting, not hammering: about one look at /healthz every 1.5 s.
    expect(triesWhileDown).toBeLessThan(45_000 / DOWN_CHECK_MS + 10);

    down = false;
    const callsBefore = api.calls.length;
    await act(() => vi.advanceTimersByTimeAsync(DOWN_CHECK_MS + 100));
    await waitFor(() => expect(screen.queryByText(BANNER)).not.toBeInTheDocument());
    // Back within seconds: the page asks again at once instead of waiting for its next poll.
    await waitFor(() =>
      expect(
        api.calls.slice(callsBefore).filter((call) => call.path === '/api/admin/ebay/tokens/status').length,
      ).toBeGreaterThan(0),
    );
    expectLastData();
  });
});
