import type { RefreshPlanView } from '@ebay-connector/contracts';
import { Badge, Card, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { useLoopStatus } from '../../api/workers.ts';
import { CardHeader } from '../../components/CardHeader.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { RefreshPlanChart } from './RefreshPlanChart.tsx';

const n = (value: number) => value.toLocaleString('en-US');

/** The plan's state in words, worst first: a 429 pause, the warm budget used, past 80 %. */
function planState(plan: RefreshPlanView): { label: string; color: string; words: string } {
  if (plan.paused_until) {
    return {
      label: 'paused',
      color: 'red',
      words: `eBay answered 429: warm refreshes paused until ${formatDateTime(plan.paused_until)}; on-demand refreshes go on`,
    };
  }
  if (plan.budget_reached) {
    return {
      label: 'budget reached',
      color: 'red',
      words: 'Warm budget used: warm refreshes stopped, the reserve is kept for on-demand ones',
    };
  }
  if (plan.warning) {
    return { label: 'over 80 %', color: 'orange', words: 'Over 80 % of the daily limit' };
  }
  return { label: 'within budget', color: 'teal', words: 'Within the daily limit' };
}

function Figure({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {n(value)}
      </Text>
    </div>
  );
}

function CallsAgainstLimit({ label, calls, limit }: { label: string; calls: number; limit: number }) {
  const percent = limit > 0 ? (calls / limit) * 100 : 0;
  const color = percent >= 100 ? 'red' : percent > 80 ? 'orange' : 'blue';
  return (
    <div>
      <Text size="sm">
        {`${label}: `}
        <b>{`${n(calls)} / ${n(limit)}`}</b>
        {` calls (${Math.round(percent)} %)`}
      </Text>
      <Progress value={Math.min(100, percent)} color={color} size="sm" aria-label={label} />
    </div>
  );
}

/**
 * The Workers page's **Refresh plan** card (docs/OPERATIONS.md, "Refresh plan"): this org's warm
 * and on-demand accounts, the keyset's refresh-token calls against eBay's daily limit, and the
 * calls per hour. Shares the loop-status query, so it costs no request of its own.
 */
export function RefreshPlanCard() {
  const { data } = useLoopStatus();
  const plan = data?.refresh_plan;
  if (!plan) return null;
  const state = planState(plan);
  // While paused or out of budget no warm account is refreshed.
  const paused = plan.paused_until || plan.budget_reached ? plan.warm : 0;
  return (
    <Card withBorder padding="md" radius="md" data-testid="refresh-plan-card">
      <Card.Section withBorder inheritPadding py="xs">
        <CardHeader title="Refresh plan">
          <Badge color={state.color} variant="light">
            {state.label}
          </Badge>
        </CardHeader>
      </Card.Section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" mt="sm">
        <Stack gap="xs">
          <Group gap="xl">
            <Figure label="Warm" value={plan.warm} testId="plan-warm" />
            <Figure label="On demand" value={plan.on_demand} testId="plan-on-demand" />
            <Figure label="Paused" value={paused} testId="plan-paused" />
          </Group>
          <CallsAgainstLimit label="Last 24 h" calls={plan.used_24h.refresh_token} limit={plan.limit} />
          <CallsAgainstLimit label="Next 24 h, projected" calls={plan.projected_24h} limit={plan.limit} />
          <Text size="xs" c="dimmed">
            {`Refresh-token calls of the keyset · warm budget ${n(plan.budget)} (${plan.reserve_percent} % reserve) · ${plan.calls_per_warm_account} calls per warm account a day`}
          </Text>
          <Text size="sm" {...(state.color === 'teal' ? {} : { c: state.color })} data-testid="plan-state">
            {state.words}
          </Text>
        </Stack>
        <RefreshPlanChart hourly={plan.hourly} limit={plan.limit} />
      </SimpleGrid>
    </Card>
  );
}
