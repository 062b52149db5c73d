import { type AccountTokenStatus, RECONNECT_ERROR_CODES } from '@ebay-connector/contracts';
import { Button, Table, Text } from '@mantine/core';
import { Countdown } from '../../components/Countdown.tsx';
import { EnvironmentLabel } from '../../components/EnvironmentLabel.tsx';
import { ActionsTd, HouseNameText } from '../../components/TableCells.tsx';
import { ReconnectButton } from '../accounts/ReconnectButton.tsx';
import { LastRefreshCell, LastUsedCell } from './LastRefreshCell.tsx';
import { RefreshPolicyCell } from './RefreshPolicyCell.tsx';
import { RefreshTokenExpiry } from './RefreshTokenExpiry.tsx';
import { TokenStateBadge } from './TokenStateBadge.tsx';

interface TokenStatusRowProps {
  row: AccountTokenStatus;
  isAdmin: boolean;
  onViewLog: (row: AccountTokenStatus) => void;
  onRefreshDebug: (row: AccountTokenStatus) => void;
}

/** Reconnect is offered wherever the state or the last failure says only a reconnect fixes it. */
export const needsReconnect = (row: AccountTokenStatus) =>
  row.status === 'needs_reconnect' ||
  row.state === 'needs_reconnect' ||
  (row.last_refresh_success === false &&
    row.last_error_code !== null &&
    RECONNECT_ERROR_CODES.includes(row.last_error_code));

export function TokenStatusRow({ row, isAdmin, onViewLog, onRefreshDebug }: TokenStatusRowProps) {
  return (
    <Table.Tr>
      <Table.Td>
        <HouseNameText name={row.house_name} />
      </Table.Td>
      <Table.Td>
        <EnvironmentLabel environment={row.environment} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{row.ebay_username ?? row.ebay_user_id}</Text>
      </Table.Td>
      <Table.Td>
        <TokenStateBadge state={row.state} />
        {row.status_reason && (
          <Text size="xs" c="dimmed" lineClamp={2} maw={150} title={row.status_reason}>
            {row.status_reason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Countdown to={row.access_token_expires_at} size="sm" />
      </Table.Td>
      <Table.Td>
        <RefreshTokenExpiry expiresAt={row.refresh_token_expires_at} />
      </Table.Td>
      <Table.Td maw={220}>
        <LastRefreshCell row={row} />
      </Table.Td>
      <Table.Td>
        <LastUsedCell row={row} />
      </Table.Td>
      <Table.Td>
        <RefreshPolicyCell row={row} />
      </Table.Td>
      <ActionsTd>
        <Button size="compact-xs" variant="default" onClick={() => onViewLog(row)}>
          View log
        </Button>
        {isAdmin && (
          <Button size="compact-xs" variant="light" onClick={() => onRefreshDebug(row)}>
            Refresh (debug)
          </Button>
        )}
        {isAdmin && needsReconnect(row) && <ReconnectButton account={row} />}
      </ActionsTd>
    </Table.Tr>
  );
}
