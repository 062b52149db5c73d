import type { RefreshPlanView } from '@ebay-connector/contracts';
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildLoop, buildMe } from '../../test/fixtures.ts';
import { mockApi } from '../../test/mockApi.ts';
import { renderWithProviders } from '../../test/renderApp.tsx';
import { RefreshPlanCard } from './RefreshPlanCard.tsx';

const HOUR = 3_600_000;
const firstHour = Date.parse('2030-01-01T13:00:00.000Z');
const hourly = Array.from({ length: 48 }, (_, i) => ({
  hour: new Date(firstHour + i * HOUR).toISOString(),
  calls: i < 24 ? 1000 + i : null,
  projected: i < 24 ? null : 1729,
}));

const plan: RefreshPlanView = {
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
  hourly,
};

function renderCard(refreshPlan: RefreshPlanView) {
  mockApi({
    'GET /api/auth/me': () => buildMe('viewer'),
    'GET /api/admin/ebay/workers/loop-status': () => ({ loops: [buildLoop()], refresh_plan: refreshPlan }),
  });
  renderWithProviders(<RefreshPlanCard />);
  return screen.findByTestId('refresh-plan-card');
}

describe('Workers page: Refresh plan card', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the counts, the calls of the last and the next 24 h against the limit, and the chart', async () => {
    const card = await renderCard(plan);
    expect(within(card).getByRole('heading', { name: 'Refresh plan' })).toBeInTheDocument();
    expect(within(card).getByTestId('plan-warm')).toHaveTextContent('3,812');
    expect(within(card).getByTestId('plan-on-demand')).toHaveTextContent('16,188');
    expect(within(card).getByTestId('plan-paused')).toHaveTextContent('0');
    expect(card).toHaveTextContent('Last 24 h: 24,410 / 50,000 calls (49 %)');
    expect(card).toHaveTextContent('Next 24 h, projected: 41,500 / 50,000 calls (83 %)');
    expect(card).toHaveTextContent('warm budget 40,000 (20 % reserve)');
    // 41,500 projected is past 80 % of 50,000: the badge and the words say so.
    expect(within(card).getByText('over 80 %')).toBeInTheDocument();
    expect(within(card).getByTestId('plan-state')).toHaveTextContent('Over 80 % of the daily limit');
    const chart = within(card).getByRole('figure', {
      name: 'Refresh calls per hour: the last 24 h and the next 24 h projected',
    });
    expect(chart).toHaveAttribute('data-points', '48');
    expect(chart.querySelector('.recharts-responsive-container')).not.toBeNull();
  });

  it('within budget: no warning', async () => {
    const card = await renderCard({ ...plan, projected_24h: 30_000, warning: false });
    expect(within(card).getByText('within budget')).toBeInTheDocument();
    expect(within(card).getByTestId('plan-state')).toHaveTextContent('Within the daily limit');
    expect(card).not.toHaveTextContent('Over 80 %');
  });

  it('says when the warm budget is used: warm refreshes stopped', async () => {
    const reached = await renderCard({
      ...plan,
      budget_reached: true,
      used_24h: { ...plan.used_24h, refresh_token: 40_000 },
    });
    expect(within(reached).getByText('budget reached')).toBeInTheDocument();
    expect(within(reached).getByTestId('plan-state')).toHaveTextContent(
      'Warm budget used: warm refreshes stopped, the reserve is kept for on-demand ones',
    );
    expect(within(reached).getByTestId('plan-paused')).toHaveTextContent('3,812');
    expect(reached).toHaveTextContent('Last 24 h: 40,000 / 50,000 calls (80 %)');
  });

  it('a 429 pause comes first, with its end', async () => {
    const card = await renderCard({
      ...plan,
      budget_reached: true,
      paused_until: '2030-01-01T13:00:00.000Z',
    });
    expect(within(card).getByText('paused')).toBeInTheDocument();
    expect(within(card).getByTestId('plan-state')).toHaveTextContent(
      /eBay answered 429: warm refreshes paused until .+; on-demand refreshes go on/,
    );
    expect(within(card).getByTestId('plan-paused')).toHaveTextContent('3,812');
  });
});
