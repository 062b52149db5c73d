import { Anchor, SimpleGrid, Stack } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useAccountDetail } from '../api/accountManagement.ts';
import { isApiRequestError } from '../api/apiError.ts';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates.tsx';
import { AccountActivity } from '../features/account/AccountActivity.tsx';
import { AccountHeader } from '../features/account/AccountHeader.tsx';
import { AccountTokenCards } from '../features/account/AccountTokenCards.tsx';
import { TokenFactsCard } from '../features/account/TokenFactsCard.tsx';
import { LogTerminalModal } from '../features/terminal/LogTerminalModal.tsx';

/**
 * `/accounts/:id`: one account, everything about it in one place — its state and tokens,
 * scopes, refresh policy, last use by a service, token facts, refresh log and connect log.
 * Removed accounts open too: their history stays explainable.
 */
export function AccountPage() {
  const { id = '' } = useParams();
  const detail = useAccountDetail(id);
  const [connectLogOpen, setConnectLogOpen] = useState(false);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/accounts" size="sm">
        ← Accounts
      </Anchor>
      {detail.isPending ? (
        <LoadingState label="Loading the account…" />
      ) : detail.error ? (
        isApiRequestError(detail.error, 404) || isApiRequestError(detail.error, 0) ? (
          <EmptyState title="No such account">It is not one of your org’s accounts.</EmptyState>
        ) : (
          <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
        )
      ) : (
        <>
          <AccountHeader detail={detail.data} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <AccountTokenCards detail={detail.data} />
            <TokenFactsCard accountId={id} hasTokens={detail.data.token_status !== null} />
          </SimpleGrid>
          <AccountActivity accountId={id} onOpenConnectLog={() => setConnectLogOpen(true)} />
          <LogTerminalModal
            opened={connectLogOpen}
            onClose={() => setConnectLogOpen(false)}
            title={`Connect log — ${detail.data.account.house_name} (${detail.data.account.environment})`}
            kind="connect"
            initialAccountId={id}
          />
        </>
      )}
    </Stack>
  );
}
