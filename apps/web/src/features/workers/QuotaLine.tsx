import { Text } from '@mantine/core';
import { useLoopStatus } from '../../api/workers.ts';
import { formatDateTime } from '../../lib/time.ts';

/**
 * The Workers page's **Quota** line: the refresh plan (this org's warm and on-demand accounts)
 * and the eBay keyset's refresh-token calls against the daily limit (docs/OPERATIONS.md,
 * "Refresh plan"). Shares the loop-status query, so it costs no request of its own.
 */
export function QuotaLine() {
  const { data } = useLoopStatus();
  const plan = data?.refresh_plan;
  if (!plan) return null;
  const n = (value: number) => value.toLocaleString('en-US');
  return (
    <Text size="sm" data-testid="quota-line">
      <b>Quota</b>
      {`: ${n(plan.warm)} warm · ${n(plan.on_demand)} on demand · `}
      {`${n(plan.used_24h.refresh_token)} / ${n(plan.limit)} refresh calls in 24 h, ${n(plan.projected_24h)} projected · warm budget ${n(plan.budget)}`}
      {plan.paused_until && (
        <Text span c="red" inherit>
          {` · warm refreshes paused until ${formatDateTime(plan.paused_until)} (eBay answered 429)`}
        </Text>
      )}
      {plan.budget_reached ? (
        <Text span c="red" inherit>
          {' · warm budget used: warm refreshes stopped, the reserve is kept for on-demand ones'}
        </Text>
      ) : (
        plan.warning && (
          <Text span c="orange" inherit>
            {' · over 80 % of the daily limit'}
          </Text>
        )
      )}
    </Text>
  );
}
