import type { AccountTokenStatus } from '@ebay-connector/contracts';
import { SimpleGrid, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useIsAdmin } from '../api/auth.ts';
import { TokenDoctorPanel } from '../features/doctor/TokenDoctorPanel.tsx';
import { LogTerminalModal } from '../features/terminal/LogTerminalModal.tsx';
import { AccountSelectionCard } from '../features/workers/AccountSelectionCard.tsx';
import { BackgroundLoopsCard } from '../features/workers/BackgroundLoopsCard.tsx';
import type { DebugTarget } from '../features/workers/debugLines.ts';
import { NotificationsLine } from '../features/workers/NotificationsLine.tsx';
import { RefreshDebugModal } from '../features/workers/RefreshDebugModal.tsx';
import { RefreshLogModal } from '../features/workers/RefreshLogModal.tsx';
import { RefreshPlanCard } from '../features/workers/RefreshPlanCard.tsx';
import { TokenHttpLogsModal } from '../features/workers/TokenHttpLogsModal.tsx';
import { TokenRefreshStatusCard } from '../features/workers/TokenRefreshStatusCard.tsx';
import { TokenStatusTable } from '../features/workers/TokenStatusTable.tsx';
import { useDebugRun } from '../features/workers/useDebugRun.ts';
import { useWorkersFilters } from '../features/workers/useWorkersFilters.ts';

const toTarget = (row: AccountTokenStatus): DebugTarget => ({
  id: row.ebay_account_id,
  house_name: row.house_name,
  environment: row.environment,
});

/** Admin → Workers: is the worker running, which accounts fail and why, and the exact calls made to eBay. */
export function WorkersPage() {
  const filters = useWorkersFilters();
  const isAdmin = useIsAdmin();
  const debug = useDebugRun();
  const [logAccount, setLogAccount] = useState<DebugTarget | null>(null);
  const [httpLogsOpen, setHttpLogsOpen] = useState(false);
  const [terminalOpen, setTerminalOpen] = useState(false);

  return (
    <Stack gap="md">
      <Title order={2}>Workers</Title>
      <NotificationsLine />
      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <BackgroundLoopsCard />
        <AccountSelectionCard env={filters.env} accountId={filters.accountId} onChange={filters.update} />
        <TokenRefreshStatusCard
          env={filters.env}
          selectedState={filters.state}
          onSelectState={(state) => filters.update({ state, code: null })}
          onSelectCause={(state, code) => filters.update({ state, code })}
          onOpenHttpLogs={() => setHttpLogsOpen(true)}
          onOpenTerminal={() => setTerminalOpen(true)}
        />
      </SimpleGrid>
      <RefreshPlanCard />
      <TokenStatusTable
        env={filters.env}
        accountId={filters.accountId}
        state={filters.state}
        errorCode={filters.errorCode}
        search={filters.search}
        page={filters.page}
        onFilterChange={filters.update}
        isAdmin={isAdmin}
        onViewLog={(row) => setLogAccount(toTarget(row))}
        onRefreshDebug={(row) => debug.start(toTarget(row))}
      />
      <TokenDoctorPanel env={filters.env} />
      <RefreshLogModal account={logAccount} onClose={() => setLogAccount(null)} />
      <RefreshDebugModal
        target={debug.target}
        run={debug.run}
        onRunAgain={debug.runAgain}
        onClose={debug.close}
      />
      <TokenHttpLogsModal
        opened={httpLogsOpen}
        env={filters.env}
        accountId={filters.accountId}
        onClose={() => setHttpLogsOpen(false)}
      />
      <LogTerminalModal
        opened={terminalOpen}
        onClose={() => setTerminalOpen(false)}
        title="Token worker terminal"
        kind="token"
        env={filters.env}
        initialAccountId={filters.accountId}
      />
    </Stack>
  );
}
