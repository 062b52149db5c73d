import type { Environment } from '@ebay-connector/contracts';
import { Card, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useAccounts } from '../../api/accounts.ts';
import { CardHeader } from '../../components/CardHeader.tsx';
import { accountLabel } from '../accounts/useAccountOptions.ts';

interface AccountSelectionCardProps {
  env: Environment | undefined;
  accountId: string | null;
  onChange: (patch: { env?: string | null; account?: string | null }) => void;
}

/** Environment and account: the choice filters the table and preselects the account in the terminals. */
export function AccountSelectionCard({ env, accountId, onChange }: AccountSelectionCardProps) {
  const accounts = useAccounts();
  const options = useMemo(
    () =>
      (accounts.data?.accounts ?? [])
        .filter((account) => !env || account.environment === env)
        .map((account) => ({ value: account.id, label: accountLabel(account) }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [accounts.data, env],
  );
  const selected = accounts.data?.accounts.find((account) => account.id === accountId);

  return (
    <Card withBorder padding="md" radius="md">
      <Card.Section withBorder inheritPadding py="xs">
        <CardHeader title="Account selection" />
      </Card.Section>
      <Stack gap="sm" mt="sm">
        <SegmentedControl
          aria-label="Environment"
          fullWidth
          size="xs"
          value={env ?? 'all'}
          onChange={(value) => onChange({ env: value === 'all' ? null : value, account: null })}
          data={[
            { value: 'all', label: 'All environments' },
            { value: 'sandbox', label: 'Sandbox' },
            { value: 'production', label: 'Production' },
          ]}
        />
        <Select
          label="Account"
          placeholder={accounts.isPending ? 'Loading accounts…' : 'All accounts'}
          searchable
          clearable
          limit={100}
          nothingFoundMessage="No matching account"
          data={options}
          value={accountId}
          onChange={(value) => onChange({ account: value })}
          error={accounts.error ? 'Could not load accounts' : undefined}
        />
        <Text size="xs" c="dimmed">
          {selected
            ? `eBay user ${selected.ebay_username ?? selected.ebay_user_id} · ${selected.status.replace('_', ' ')}`
            : `${options.length.toLocaleString()} accounts. The choice filters the table and preselects the terminals.`}
        </Text>
      </Stack>
    </Card>
  );
}
