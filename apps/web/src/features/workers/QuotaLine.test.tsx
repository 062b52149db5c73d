import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildLoop, buildMe } from '../../test/fixtures.ts';
import { mockApi } from '../../test/mockApi.ts';
import { renderWithProviders } from '../../test/renderApp.tsx';
import { QuotaLine } from './QuotaLine.tsx';

const plan = {
  default_policy: 'auto',
  warm: 3812,
  on_demand: 16188,
  limit: 50_000,
  budget: 40_000,
  reserve_percent: 20,
  calls_per_warm_account: 13.4,
  used_24h: { refresh_token: 24_410, authorization_code: 12, client_credentials: 3 },
  projected_24h: 41_500,
  warning: true,
  budget_reached: false,
  paused_until: null,
};

describe('Workers page: Quota line', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the plan and the calls against the limit, and says when it is past 80 %', async () => {
    mockApi({
      'GET /api/auth/me': () => buildMe('viewer'),
      'GET /api/admin/ebay/workers/loop-status': () => ({ loops: [buildLoop()], refresh_plan: plan }),
    });
    renderWithProviders(<QuotaLine />);
    const line = await screen.findByTestId('quota-line');
    expect(line).toHaveTextContent(
      'Quota: 3,812 warm · 16,188 on demand · 24,410 / 50,000 refresh calls in 24 h, 41,500 projected · warm budget 40,000 · over 80 % of the daily limit',
    );
  });

  it('says when a 429 paused warm refreshes, and when the warm budget is used', async () => {
    mockApi({
      'GET /api/auth/me': () => buildMe('viewer'),
      'GET /api/admin/ebay/workers/loop-status': () => ({
        loops: [buildLoop()],
        refresh_plan: { ...plan, budget_reached: true, paused_until: '2030-01-01T13:00:00.000Z' },
      }),
    });
    renderWithProviders(<QuotaLine />);
    const line = await screen.findByTestId('quota-line');
    expect(line).toHaveTextContent(/warm refreshes paused until .* \(eBay answered 429\)/);
    expect(line).toHaveTextContent('warm budget used: warm refreshes stopped');
    expect(line).not.toHaveTextContent('over 80 %');
  });
});
