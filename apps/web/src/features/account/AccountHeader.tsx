import type { AccountDetail } from '@ebay-connector/contracts';
import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { AccountChange } from '../../api/accountManagement.ts';
import { useIsAdmin } from '../../api/auth.ts';
import { EnvironmentLabel } from '../../components/EnvironmentLabel.tsx';
import { RelativeTime } from '../../components/RelativeTime.tsx';
import { AccountChangeDialog } from '../accounts/AccountChangeDialog.tsx';
import { AccountStateBadge } from '../accounts/AccountStateBadge.tsx';
import { ManualRefreshButton } from '../accounts/ManualRefreshButton.tsx';
import { ReconnectButton } from '../accounts/ReconnectButton.tsx';

/** The account page's title: who the account is, its state, and what an admin can do with it. */
export function AccountHeader({ detail }: { detail: AccountDetail }) {
  const isAdmin = useIsAdmin();
  const [change, setChange] = useState<AccountChange | null>(null);
  const { account } = detail;
  const removed = account.status === 'removed';
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Group gap="xs">
            <Title order={2} style={{ overflowWrap: 'anywhere' }}>
              {account.house_name}
            </Title>
            <AccountStateBadge status={account.status} state={detail.token_status?.state} />
          </Group>
          <Group gap="xs">
            <EnvironmentLabel environment={account.environment} />
            <Text size="sm">
              eBay user <b>{account.ebay_username ?? '—'}</b>{' '}
              <Text span c="dimmed" ff="monospace" size="xs">
                {account.ebay_user_id}
              </Text>
            </Text>
            <Text size="sm" c="dimmed">
              connected <RelativeTime value={account.created_at} inherit />
            </Text>
          </Group>
        </Stack>
        {isAdmin && !removed && (
          <Group gap={6}>
            {account.status !== 'disabled' && (
              <ManualRefreshButton accountId={account.id} houseName={account.house_name} />
            )}
            <ReconnectButton account={{ ...account, ebay_account_id: account.id }} />
            <Button
              size="compact-xs"
              variant="default"
              onClick={() => setChange(account.status === 'disabled' ? 'enable' : 'disable')}
            >
              {account.status === 'disabled' ? 'Enable…' : 'Disable…'}
            </Button>
            <Button size="compact-xs" color="red" variant="light" onClick={() => setChange('remove')}>
              Remove…
            </Button>
          </Group>
        )}
      </Group>
      {removed ? (
        <Alert color="gray" variant="light" title="This account was removed">
          {account.status_reason ?? 'Removed'} <RelativeTime value={account.updated_at} inherit />. Its tokens
          were erased; its history below is kept. Connecting the same seller again continues it.
        </Alert>
      ) : (
        account.status_reason && (
          <Text size="sm" c="dimmed">
            {account.status_reason}
          </Text>
        )
      )}
      {change && <AccountChangeDialog account={account} change={change} onClose={() => setChange(null)} />}
    </Stack>
  );
}
