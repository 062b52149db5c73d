import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildLoop, buildMe } from '../../test/fixtures.ts';
import { mockApi } from '../../test/mockApi.ts';
import { renderWithProviders } from '../../test/renderApp.tsx';
import { BackgroundLoopsCard } from './BackgroundLoopsCard.tsx';

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

describe('Background loops: next cycle and Run cycle now', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says when the next cycle is, over every replica', async () => {
    mockApi({
      'GET /api/auth/me': () => buildMe('viewer'),
      'GET /api/admin/ebay/workers/loop-status': () => ({
        loops: [
          buildLoop({
            next_cycle_at: minutes(7),
            replicas: [
              { instance_id: 'w-a', next_cycle_at: minutes(7), last_seen_at: minutes(-3) },
              { instance_id: 'w-b', next_cycle_at: minutes(9), last_seen_at: minutes(-1) },
            ],
          }),
        ],
      }),
    });
    renderWithProviders(<BackgroundLoopsCard />);
    expect(await screen.findByText(/Next cycle in (7m 00s|6m 5\ds)/)).toBeInTheDocument();
    expect(screen.getByText(/2 replicas/)).toBeInTheDocument();
    // Viewers see when, not the button.
    expect(screen.queryByRole('button', { name: 'Run cycle now' })).not.toBeInTheDocument();
  });

  it('Run cycle now asks the server, shows the request waiting, then who took it', async () => {
    let loop = buildLoop({ next_cycle_at: minutes(9) });
    const api = mockApi({
      'GET /api/auth/me': () => buildMe('admin'),
      'GET /api/admin/ebay/workers/loop-status': () => ({ loops: [loop] }),
      'POST /api/admin/ebay/workers/token_refresh_worker/run-cycle': () => {
        loop = {
          ...loop,
          run_request: {
            requested_at: new Date().toISOString(),
            requested_by: 'admin@example.com',
            taken_at: null,
            taken_by: null,
          },
        };
        return { loop };
      },
    });
    const user = userEvent.setup();
    renderWithProviders(<BackgroundLoopsCard />);
    await user.click(await screen.findByRole('button', { name: 'Run cycle now' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        /Cycle requested by admin@example.com .*: waiting for a replica/,
      ),
    );
    expect(screen.getByRole('button', { name: 'Run cycle now' })).toBeDisabled();
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    // A replica takes it; the page polls every second while it waits.
    loop = {
      ...loop,
      run_request: {
        ...loop.run_request!,
        taken_at: new Date(Date.now() + 1).toISOString(),
        taken_by: 'worker-b',
      },
    };
    await waitFor(
      () =>
        expect(screen.getByRole('status')).toHaveTextContent(
          /Requested cycle by admin@example.com started .* on worker-b/,
        ),
      { timeout: 4000 },
    );
  });

  it('says plainly when no replica is running', async () => {
    mockApi({
      'GET /api/auth/me': () => buildMe('admin'),
      'GET /api/admin/ebay/workers/loop-status': () => ({
        loops: [buildLoop({ next_cycle_at: null, replicas: [], stale: true })],
      }),
    });
    renderWithProviders(<BackgroundLoopsCard />);
    expect(
      await screen.findByText('No worker replica is running: no cycle until one starts'),
    ).toBeInTheDocument();
  });
});
