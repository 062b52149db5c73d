import type { Account } from '@ebay-connector/contracts';
import { Button, Card, Group, Pagination, ScrollArea, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useAccounts } from '../api/accounts.ts';
import { useIsAdmin } from '../api/auth.ts';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates.tsx';
import { AccountsTable } from '../features/accounts/AccountsTable.tsx';
import { ConnectAccountModal } from '../features/accounts/ConnectAccountModal.tsx';
import { ConnectResultAlert } from '../features/accounts/ConnectResultAlert.tsx';
import { NoAccountsYet } from '../features/accounts/NoAccountsYet.tsx';
import { LogTerminalModal } from '../features/terminal/LogTerminalModal.tsx';

const PAGE_SIZE = 50;

/** Admin → Accounts: the org's eBay accounts, connecting new ones, and each account's connect log. */
export function AccountsPage() {
  const accounts = useAccounts();
  const isAdmin = useIsAdmin();
  const [connectOpen, setConnectOpen] = useState(false);
  const [logAccount, setLogAccount] = useState<Account | null | 'all'>(null);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);

  const matching = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = accounts.data?.accounts ?? [];
    if (!needle) return all;
    return all.filter((account) =>
      [account.house_name, account.ebay_username ?? '', account.ebay_user_id].some((text) =>
        text.toLowerCase().includes(needle),
      ),
    );
  }, [accounts.data, search]);
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const visible = matching.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Accounts</Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => setLogAccount('all')}>
            Connect log
          </Button>
          {isAdmin && <Button onClick={() => setConnectOpen(true)}>Connect eBay account</Button>}
        </Group>
      </Group>
      <ConnectResultAlert />
      <Card withBorder padding="md" radius="md">
        <Group justify="space-between" mb="sm">
          <TextInput
            aria-label="Search accounts"
            placeholder="Search house name or eBay user"
            w={320}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              setPage(1);
            }}
          />
          <Text size="sm" c="dimmed">
            {matching.length.toLocaleString()} accounts
          </Text>
        </Group>
        {accounts.isPending ? (
          <LoadingState label="Loading accounts…" />
        ) : accounts.error ? (
          <ErrorState error={accounts.error} onRetry={() => void accounts.refetch()} />
        ) : (accounts.data.accounts.length ?? 0) === 0 ? (
          <NoAccountsYet />
        ) : visible.length === 0 ? (
          <EmptyState title="No accounts match">Change the search.</EmptyState>
        ) : (
          <ScrollArea type="auto">
            <AccountsTable accounts={visible} isAdmin={isAdmin} onShowConnectLog={setLogAccount} />
          </ScrollArea>
        )}
        {pages > 1 && <Pagination mt="sm" size="sm" total={pages} value={current} onChange={setPage} />}
      </Card>
      <ConnectAccountModal opened={connectOpen} onClose={() => setConnectOpen(false)} />
      <LogTerminalModal
        opened={logAccount !== null}
        onClose={() => setLogAccount(null)}
        title={
          logAccount && logAccount !== 'all'
            ? `Connect log — ${logAccount.house_name} (${logAccount.environment})`
            : 'Connect log'
        }
        kind="connect"
        initialAccountId={logAccount && logAccount !== 'all' ? logAccount.id : null}
      />
    </Stack>
  );
}
