import { Badge, Modal, ScrollArea, Table, Text } from '@mantine/core';
import { useRefreshLog } from '../../api/tokens.ts';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { formatDateTime, formatDuration } from '../../lib/time.ts';
import type { DebugTarget } from './debugLines.ts';

const COLUMNS = ['Started', 'Result', 'Error', 'Triggered by', 'Access token expiry (old → new)', 'Duration'];

/** "View log": the account's refresh attempts, newest first. */
export function RefreshLogModal({ account, onClose }: { account: DebugTarget | null; onClose: () => void }) {
  const log = useRefreshLog(account?.id ?? null);
  return (
    <Modal
      opened={account !== null}
      onClose={onClose}
      size="90%"
      title={account ? `Refresh log — ${account.house_name} (${account.environment})` : 'Refresh log'}
    >
      {log.isPending ? (
        <LoadingState />
      ) : log.error ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : log.data.logs.length === 0 ? (
        <EmptyState title="No refresh attempts yet">
          The worker or a debug refresh will add the first one.
        </EmptyState>
      ) : (
        <ScrollArea type="auto">
          <Table striped verticalSpacing={4} miw={900}>
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column) => (
                  <Table.Th key={column}>{column}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {log.data.logs.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Td>{formatDateTime(row.started_at)}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" color={row.success ? 'green' : 'red'} variant="light">
                      {row.success ? 'ok' : 'failed'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {row.error_code && (
                      <Text size="xs" c="red" ff="monospace">
                        {row.error_code}
                        {row.error_message ? `: ${row.error_message}` : ''}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {row.triggered_by}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">
                      {formatDateTime(row.old_access_expires_at)} →{' '}
                      {formatDateTime(row.new_access_expires_at)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDuration(row.duration_ms)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Modal>
  );
}
