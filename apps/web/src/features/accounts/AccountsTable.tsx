import type { Account, AccountListItem } from '@ebay-connector/contracts';
import { Anchor, Button, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { EnvironmentLabel } from '../../components/EnvironmentLabel.tsx';
import { RelativeTime } from '../../components/RelativeTime.tsx';
import { ActionsTd, ActionsTh, HouseNameText } from '../../components/TableCells.tsx';
import { AccountActionsMenu } from './AccountActionsMenu.tsx';
import { AccountStateBadge } from './AccountStateBadge.tsx';
import { ManualRefreshButton } from './ManualRefreshButton.tsx';
import { ReconnectButton } from './ReconnectButton.tsx';

interface AccountsTableProps {
  accounts: AccountListItem[];
  isAdmin: boolean;
  onShowConnectLog: (account: Account) => void;
}

export function AccountsTable({ accounts, isAdmin, onShowConnectLog }: AccountsTableProps) {
  return (
    <Table striped highlightOnHover verticalSpacing={6} aria-label="eBay accounts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>House name</Table.Th>
          <Table.Th>Environment</Table.Th>
          <Table.Th>eBay user</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Connected</Table.Th>
          <ActionsTh />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {accounts.map((account) => (
          <Table.Tr key={account.id}>
            <Table.Td>
              <HouseNameText name={account.house_name}>
                <Anchor component={Link} to={`/accounts/${account.id}`} inherit>
                  {account.house_name}
                </Anchor>
              </HouseNameText>
            </Table.Td>
            <Table.Td>
              <EnvironmentLabel environment={account.environment} />
            </Table.Td>
            <Table.Td>
              <Text size="sm">{account.ebay_username ?? '—'}</Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {account.ebay_user_id}
              </Text>
            </Table.Td>
            <Table.Td>
              <AccountStateBadge status={account.status} state={account.state} />
              {account.status_reason && (
                <Text size="xs" c="dimmed" lineClamp={2} maw={260} title={account.status_reason}>
                  {account.status_reason}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <RelativeTime value={account.created_at} size="sm" style={{ whiteSpace: 'nowrap' }} />
            </Table.Td>
            <ActionsTd>
              <Button size="compact-xs" variant="default" onClick={() => onShowConnectLog(account)}>
                Connect log
              </Button>
              {isAdmin && account.status !== 'disabled' && (
                <ManualRefreshButton accountId={account.id} houseName={account.house_name} />
              )}
              {isAdmin && <ReconnectButton account={{ ...account, ebay_account_id: account.id }} />}
              <AccountActionsMenu account={account} isAdmin={isAdmin} />
            </ActionsTd>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
