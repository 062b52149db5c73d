import type { TokenState } from '@ebay-connector/contracts';
import { Badge } from '@mantine/core';

export const tokenStateColor: Record<TokenState, string> = {
  healthy: 'green',
  expiring_soon: 'yellow',
  expired: 'orange',
  on_demand: 'blue',
  failing: 'red',
  needs_reconnect: 'red',
  disabled: 'gray',
};

export const tokenStateLabel = (state: string) => state.replaceAll('_', ' ');

export function TokenStateBadge({ state }: { state: TokenState }) {
  return (
    <Badge color={tokenStateColor[state]} variant={state === 'needs_reconnect' ? 'filled' : 'light'}>
      {tokenStateLabel(state)}
    </Badge>
  );
}
