import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAccounts } from '../../api/accounts.ts';
import { useIsAdmin } from '../../api/auth.ts';
import { ConnectAccountModal } from './ConnectAccountModal.tsx';
import { ReconnectButton } from './ReconnectButton.tsx';
import { accountLabel } from './useAccountOptions.ts';

const CONNECT_PARAMS = [
  'connected',
  'reconnected',
  'connect_error',
  'message',
  'account',
  'signed_in_as',
  'existing',
];

/** The outcome of the OAuth callback (?connected=<id> or ?connect_error=<code>&message=…), until dismissed. */
export function ConnectResultAlert() {
  const [params, setParams] = useSearchParams();
  const accounts = useAccounts();
  const connectedId = params.get('connected');
  const errorCode = params.get('connect_error');
  if (!connectedId && !errorCode) return null;

  const dismiss = () =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const key of CONNECT_PARAMS) next.delete(key);
        return next;
      },
      { replace: true },
    );
  const find = (id: string | null) => accounts.data?.accounts.find((candidate) => candidate.id === id);

  if (connectedId) {
    const account = find(connectedId);
    const reconnected = params.get('reconnected') === '1';
    return (
      <Alert
        color="green"
        variant="light"
        title={reconnected ? 'eBay account reconnected' : 'eBay account connected'}
        withCloseButton
        onClose={dismiss}
      >
        {account
          ? `${accountLabel(account)} is ${reconnected ? 'reconnected' : 'connected'} as eBay user ${account.ebay_username ?? account.ebay_user_id}. Its tokens are stored encrypted and refreshed automatically.`
          : 'The account is connected. Its tokens are stored encrypted and refreshed automatically.'}
      </Alert>
    );
  }
  if (errorCode === 'wrong_seller') {
    return (
      <WrongSellerAlert
        message={params.get('message')}
        account={find(params.get('account'))}
        signedInAs={params.get('signed_in_as') ?? 'another seller'}
        sellerConnectedHere={params.get('existing') !== null}
        onClose={dismiss}
      />
    );
  }
  return (
    <Alert
      color="red"
      variant="light"
      title="Connecting the eBay account failed"
      withCloseButton
      onClose={dismiss}
    >
      {params.get('message') ?? 'eBay did not complete the connection.'} ({errorCode})
    </Alert>
  );
}

type AccountRow = NonNullable<ReturnType<typeof useAccounts>['data']>['accounts'][number];

/**
 * A reconnect signed by another seller stored nothing. Two separate next steps: reconnect again
 * as the right seller, or (only on purpose) connect the seller who signed in as a new account,
 * which is a new consent at eBay: their grant was discarded, never kept for later.
 */
function WrongSellerAlert(props: {
  message: string | null;
  account: AccountRow | undefined;
  signedInAs: string;
  sellerConnectedHere: boolean;
  onClose: () => void;
}) {
  const isAdmin = useIsAdmin();
  const [connectNew, setConnectNew] = useState(false);
  const { account, signedInAs, sellerConnectedHere } = props;
  return (
    <Alert
      color="orange"
      variant="light"
      title={`Signed in as the wrong seller: nothing was changed${account ? ` for ${account.house_name}` : ''}`}
      withCloseButton
      onClose={props.onClose}
    >
      <Stack gap="xs">
        <Text size="sm">{props.message}</Text>
        {isAdmin && (
          <Group gap="xs">
            {account && (
              <ReconnectButton
                account={{ ...account, ebay_account_id: account.id }}
                label={`Reconnect ${account.house_name} again`}
              />
            )}
            {!sellerConnectedHere && (
              <Button size="compact-xs" variant="default" onClick={() => setConnectNew(true)}>
                Connect {signedInAs} as a new account
              </Button>
            )}
          </Group>
        )}
      </Stack>
      {connectNew && (
        <ConnectAccountModal
          opened
          onClose={() => setConnectNew(false)}
          {...(account ? { initialEnvironment: account.environment } : {})}
          intro={`A new account for ${signedInAs}: give it a house name, then sign in at eBay as ${signedInAs} again (their first grant was discarded, not kept).`}
        />
      )}
    </Alert>
  );
}
