import type { Environment } from '@ebay-connector/contracts';
import { Button, Center, Modal, Stack } from '@mantine/core';
import { useTokenLogs } from '../../api/tokens.ts';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { LogEntryCard } from './LogEntryCard.tsx';

interface TokenHttpLogsModalProps {
  opened: boolean;
  env: Environment | undefined;
  /** The account chosen in Account selection, if any: the viewer shows only its calls. */
  accountId: string | null;
  onClose: () => void;
}

/** "Token HTTP logs (request & response)": the JSON viewer of recent token calls, newest first. */
export function TokenHttpLogsModal({ opened, env, accountId, onClose }: TokenHttpLogsModalProps) {
  const logs = useTokenLogs(env, accountId, opened);
  const entries = logs.data?.pages.flatMap((page) => page.logs) ?? [];
  return (
    <Modal opened={opened} onClose={onClose} size="95%" title="Token HTTP logs (request & response)">
      {logs.isPending ? (
        <LoadingState />
      ) : logs.error ? (
        <ErrorState error={logs.error} onRetry={() => void logs.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState title="No token calls logged yet">
          Refreshes, scheduled or manual, are logged here.
        </EmptyState>
      ) : (
        <Stack gap="sm">
          {entries.map((entry) => (
            <LogEntryCard key={entry.id} entry={entry} />
          ))}
          {logs.hasNextPage && (
            <Center>
              <Button
                variant="default"
                loading={logs.isFetchingNextPage}
                onClick={() => void logs.fetchNextPage()}
              >
                Load older
              </Button>
            </Center>
          )}
        </Stack>
      )}
    </Modal>
  );
}
