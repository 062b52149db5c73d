import type { RefreshLogRow } from '@ebay-connector/contracts';
import { Badge, ScrollArea, Table, Text } from '@mantine/core';
import { formatDateTime, formatDuration } from '../../lib/time.ts';

const COLUMNS = ['Started', 'Result', 'Error', 'Triggered by', 'Access token expiry (old → new)', 'Duration'];

/** An account's refresh attempts, newest first ("View log", the account page). */
export function RefreshLogTable({ logs }: { logs: readonly RefreshLogRow[] }) {
  return (
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
          {logs.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>{formatDateTime(row.started_at)}</Table.Td>
              <Table.Td>
                <Badge
                  size="sm"
                  color={row.success ? 'green' : 'red'}
                  variant="light"
                  style={{ minWidth: 'fit-content' }}
                >
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
                  {formatDateTime(row.old_access_expires_at)} → {formatDateTime(row.new_access_expires_at)}
                </Text>
              </Table.Td>
              <Table.Td>{formatDuration(row.duration_ms)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
