import type { LogEntry } from '@ebay-connector/contracts';
import { Button, Card, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useAccountActivity } from '../../api/accountManagement.ts';
import { useRefreshLog } from '../../api/tokens.ts';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { formatDateTime, formatDuration } from '../../lib/time.ts';
import { RefreshLogTable } from '../workers/RefreshLogTable.tsx';

/** What an entry was about, in a line: who did a change, the error, or the HTTP status. */
function entryDetail(entry: LogEntry): string {
  if (entry.error) return `${entry.error.code}: ${entry.error.message}`;
  const by = entry.summary?.by ?? entry.summary?.viewed_by;
  if (typeof by === 'string') return `by ${by}`;
  return entry.response ? `HTTP ${entry.response.status_code}` : '';
}

/** The account page's history: its refresh log, and its latest connect-log entries of every kind. */
export function AccountActivity({
  accountId,
  onOpenConnectLog,
}: {
  accountId: string;
  onOpenConnectLog: () => void;
}) {
  const refreshes = useRefreshLog(accountId);
  const activity = useAccountActivity(accountId);
  return (
    <>
      <Card withBorder padding="md" radius="md" component="section" aria-label="Refresh log">
        <Stack gap="xs">
          <Title order={4}>Refresh log</Title>
          {refreshes.isPending ? (
            <LoadingState />
          ) : refreshes.error ? (
            <ErrorState error={refreshes.error} onRetry={() => void refreshes.refetch()} />
          ) : refreshes.data.logs.length === 0 ? (
            <EmptyState title="No refresh attempts yet" />
          ) : (
            <RefreshLogTable logs={refreshes.data.logs} />
          )}
        </Stack>
      </Card>
      <Card withBorder padding="md" radius="md" component="section" aria-label="Connect log">
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={4}>Connect log</Title>
            <Button size="compact-xs" variant="default" onClick={onOpenConnectLog}>
              Open in the terminal
            </Button>
          </Group>
          {activity.isPending ? (
            <LoadingState />
          ) : activity.error ? (
            <ErrorState error={activity.error} onRetry={() => void activity.refetch()} />
          ) : activity.data.entries.length === 0 ? (
            <EmptyState title="Nothing logged yet" />
          ) : (
            <ScrollArea type="auto">
              <Table striped verticalSpacing={3} miw={640} aria-label="Latest entries">
                <Table.Tbody>
                  {activity.data.entries.map((entry) => (
                    <Table.Tr key={entry.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Text size="xs">{formatDateTime(entry.created_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text
                          size="xs"
                          ff="monospace"
                          c={entry.error ? 'red' : 'inherit'}
                          style={{ whiteSpace: 'nowrap' }}
                        >
                          {entry.action}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" ff="monospace">
                          {entry.source}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs" lineClamp={2} title={entryDetail(entry)}>
                          {entryDetail(entry)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{formatDuration(entry.duration_ms)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )}
        </Stack>
      </Card>
    </>
  );
}
