import type { Environment } from '@ebay-connector/contracts';
import { Button, Center } from '@mantine/core';
import { useState } from 'react';
import { useIsAdmin } from '../../api/auth.ts';
import { EmptyState } from '../../components/QueryStates.tsx';
import { ConnectAccountModal } from './ConnectAccountModal.tsx';

/** An org without accounts: say so (not "no accounts match"), and offer the first step. */
export function NoAccountsYet({ environment }: { environment?: Environment | undefined }) {
  const isAdmin = useIsAdmin();
  const [open, setOpen] = useState(false);
  return (
    <>
      <EmptyState title={environment ? `No ${environment} accounts yet` : 'No accounts yet'}>
        {isAdmin
          ? 'Connect the org’s first eBay seller account; its tokens are then refreshed here.'
          : 'An admin of the org connects its eBay seller accounts.'}
      </EmptyState>
      {isAdmin && (
        <Center pb="lg">
          <Button size="xs" onClick={() => setOpen(true)}>
            Connect eBay account
          </Button>
        </Center>
      )}
      <ConnectAccountModal
        opened={open}
        onClose={() => setOpen(false)}
        {...(environment ? { initialEnvironment: environment } : {})}
      />
    </>
  );
}
