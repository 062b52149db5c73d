import { Modal } from '@mantine/core';
import { useRefreshLog } from '../../api/tokens.ts';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import type { DebugTarget } from './debugLines.ts';
import { RefreshLogTable } from './RefreshLogTable.tsx';

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
        <RefreshLogTable logs={log.data.logs} />
      )}
    </Modal>
  );
}
