import type { RefreshHour } from '@ebay-connector/contracts';
import { BarChart } from '@mantine/charts';
import { Text } from '@mantine/core';
import { formatHourMinute } from '../../lib/time.ts';

const SERIES = [
  { name: 'calls', label: 'Calls', color: 'blue.6' },
  { name: 'projected', label: 'Projected', color: 'gray.4' },
];

/**
 * Refresh calls per hour: the last 24 h counted, the next 24 h as the plan projects them, and the
 * hourly share of the daily limit as a line, so a storm or a day over the limit shows at a glance.
 */
export function RefreshPlanChart({ hourly, limit }: { hourly: RefreshHour[]; limit: number }) {
  if (hourly.length === 0) return null;
  const data = hourly.map((point) => ({
    hour: formatHourMinute(point.hour),
    calls: point.calls,
    projected: point.projected,
  }));
  const share = Math.round(limit / 24);
  // The hourly share of the limit, drawn once the bars come near it (else it flattens them).
  const highest = Math.max(0, ...hourly.map((point) => point.calls ?? point.projected ?? 0));
  const referenceLines =
    highest >= share / 2
      ? [{ y: share, color: 'red.5', label: `limit ÷ 24 = ${share.toLocaleString('en-US')}` }]
      : [];
  return (
    <figure
      style={{ margin: 0 }}
      aria-label="Refresh calls per hour: the last 24 h and the next 24 h projected"
      data-testid="refresh-plan-chart"
      data-points={data.length}
    >
      <BarChart
        h={150}
        data={data}
        dataKey="hour"
        type="stacked"
        series={SERIES}
        withLegend
        legendProps={{ verticalAlign: 'bottom', height: 24 }}
        tickLine="none"
        gridAxis="y"
        xAxisProps={{ interval: 5 }}
        referenceLines={referenceLines}
        barProps={{ isAnimationActive: false }}
      />
      <Text component="figcaption" size="xs" c="dimmed" ta="center">
        Calls per hour: last 24 h · next 24 h projected
      </Text>
    </figure>
  );
}
