import {
  type AccountTokenStatus,
  type Environment,
  type RefreshErrorCode,
  type TokenState,
  tokenStateSchema,
} from '@ebay-connector/contracts';
import { Button, Card, Group, Pagination, ScrollArea, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTokenStatus } from '../../api/tokens.ts';
import { CardHeader } from '../../components/CardHeader.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { ActionsTh } from '../../components/TableCells.tsx';
import { NoAccountsYet } from '../accounts/NoAccountsYet.tsx';
import { tokenStateLabel } from './TokenStateBadge.tsx';
import { TokenStatusRow } from './TokenStatusRow.tsx';
import type { WorkersFilterPatch } from './useWorkersFilters.ts';

export const TOKEN_STATUS_PAGE_SIZE = 50;

interface TokenStatusTableProps {
  env: Environment | undefined;
  accountId: string | null;
  state: TokenState | undefined;
  /** Only accounts whose last refresh failed with this code (a click on "decrypt_failed ×3"). */
  errorCode: RefreshErrorCode | undefined;
  search: string;
  page: number;
  onFilterChange: (patch: WorkersFilterPatch) => void;
  isAdmin: boolean;
  onViewLog: (row: AccountTokenStatus) => void;
  onRefreshDebug: (row: AccountTokenStatus) => void;
}

const COLUMNS = [
  'House name',
  'Environment',
  'eBay user',
  'State',
  'Access token expires',
  'Refresh token expires',
  'Last refresh',
  'Last used by a service',
  'Refresh policy',
];

/** "Per-account token status": paged and searched on the server, so 5,000 accounts cost one page. */
export function TokenStatusTable(props: TokenStatusTableProps) {
  const [searchInput, setSearchInput] = useState(props.search);
  const [debouncedSearch] = useDebouncedValue(searchInput, 300);
  const { onFilterChange, search } = props;
  useEffect(() => {
    if (debouncedSearch !== search) onFilterChange({ q: debouncedSearch });
  }, [debouncedSearch, search, onFilterChange]);

  const status = useTokenStatus({
    env: props.env,
    ebay_account_id: props.accountId ?? undefined,
    search: props.search || undefined,
    state: props.state,
    error_code: props.errorCode,
    limit: TOKEN_STATUS_PAGE_SIZE,
    offset: (props.page - 1) * TOKEN_STATUS_PAGE_SIZE,
  });
  const total = status.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / TOKEN_STATUS_PAGE_SIZE));

  return (
    <Card withBorder padding="md" radius="md">
      <Card.Section withBorder inheritPadding py="xs">
        <CardHeader title="Per-account token status">
          <Group gap="xs" wrap="nowrap">
            <TextInput
              aria-label="Search accounts"
              placeholder="Search house name or eBay user"
              size="xs"
              w={260}
              value={searchInput}
              onChange={(event) => setSearchInput(event.currentTarget.value)}
            />
            <Select
              aria-label="Filter by state"
              placeholder="All states"
              size="xs"
              w={170}
              clearable
              data={tokenStateSchema.options.map((value) => ({ value, label: tokenStateLabel(value) }))}
              value={props.state ?? null}
              onChange={(value) => onFilterChange({ state: value, code: null })}
            />
            {props.errorCode && (
              <Button
                size="compact-xs"
                variant="light"
                color="red"
                rightSection="✕"
                aria-label={`Show every error, not only ${props.errorCode}`}
                onClick={() => onFilterChange({ code: null })}
              >
                {props.errorCode}
              </Button>
            )}
          </Group>
        </CardHeader>
      </Card.Section>
      {status.isPending ? (
        <LoadingState label="Loading accounts…" />
      ) : status.error ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : status.data.accounts.length === 0 &&
        !(props.search || props.state || props.errorCode || props.accountId) ? (
        <NoAccountsYet environment={props.env} />
      ) : status.data.accounts.length === 0 ? (
        <EmptyState title="No accounts match">Change the search, state or account selection.</EmptyState>
      ) : (
        <ScrollArea type="auto" mt="xs">
          <Table striped highlightOnHover verticalSpacing={6} aria-label="Per-account token status">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column) => (
                  <Table.Th key={column}>{column}</Table.Th>
                ))}
                <ActionsTh />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody style={{ opacity: status.isPlaceholderData ? 0.6 : 1 }}>
              {status.data.accounts.map((row) => (
                <TokenStatusRow
                  key={row.ebay_account_id}
                  row={row}
                  isAdmin={props.isAdmin}
                  onViewLog={props.onViewLog}
                  onRefreshDebug={props.onRefreshDebug}
                />
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <Group justify="space-between" mt="sm">
        <Text size="xs" c="dimmed">
          {total.toLocaleString()} accounts
        </Text>
        {pages > 1 && (
          <Pagination
            size="sm"
            total={pages}
            value={Math.min(props.page, pages)}
            onChange={(page) => onFilterChange({ page: String(page) })}
          />
        )}
      </Group>
    </Card>
  );
}
