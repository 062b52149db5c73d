import type { AccountTokenStatus, RefreshPolicyValue } from '@ebay-connector/contracts';
import { Text } from '@mantine/core';

const POLICY_LABELS: Record<RefreshPolicyValue, string> = {
  auto: 'auto',
  warm: 'warm',
  on_demand: 'on demand',
};

export const refreshPolicyLabel = (policy: RefreshPolicyValue) => POLICY_LABELS[policy];

/**
 * The account's refresh policy (docs/OPERATIONS.md, "Refresh plan") and where the plan has it now:
 * warm (refreshed ahead of expiry) or on demand (refreshed when a service asks for its token).
 */
export function RefreshPolicyCell({ row }: { row: AccountTokenStatus }) {
  return (
    <>
      <Text size="sm">
        {refreshPolicyLabel(row.effective_policy)}
        {row.refresh_policy === null && (
          <Text span size="xs" c="dimmed">
            {' (default)'}
          </Text>
        )}
      </Text>
      <Text size="xs" c={row.refresh_warm ? 'teal' : 'dimmed'}>
        {row.refresh_warm ? 'warm now' : 'on demand now'}
      </Text>
    </>
  );
}
