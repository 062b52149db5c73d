import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAccounts } from '../../api/accounts.ts';
import { useIsAdmin } from '../../api/auth.ts';
import { ConnectAccountModal } from './ConnectAccountModal.tsx';
import { connectErrorText, shownCode, shownEbayUsername } from './connectErrorText.ts';
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

/**
 * The outcome of the OAuth callback (?connected=<id> or ?connect_error=<code>), until dismissed.
 * Only text chosen here (connectErrorText.ts) or read from the accounts API is shown: anyone can
 * craft this URL, so a `message` in it is ignored.
 */
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
        account={find(params.get('account'))}
        signedInAs={shownEbayUsername(params.get('signed_in_as'))}
        existing={find(params.get('existing'))}
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
      {connectErrorText(errorCode ?? '')}
      {shownCode(errorCode ?? '') ? ` (${errorCode})` : ''}
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
  account: AccountRow | undefined;
  /** A plausible eBay username, or null (missing or not one). */
  signedInAs: string | null;
  existing: AccountRow | undefined;
  sellerConnectedHere: boolean;
  onClose: () => void;
}) {
  const isAdmin = useIsAdmin();
  const [connectNew, setConnectNew] = useState(false);
  const { account, existing, sellerConnectedHere } = props;
  const signedInAs = props.signedInAs ?? 'another seller';
  return (
    <Alert
      color="orange"
      variant="light"
      title={`Signed in as the wrong seller: nothing was changed${account ? ` for ${account.house_name}` : ''}`}
      withCloseButton
      onClose={props.onClose}
    >
      <Stack gap="xs">
        <Text size="sm">{wrongSellerText(signedInAs, account, existing)}</Text>
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

/** The wrong-seller explanation, from the accounts API and a checked username only. */
function wrongSellerText(
  signedInAs: string,
  account: AccountRow | undefined,
  existing: AccountRow | undefined,
) {
  const expected = account ? (account.ebay_username ?? account.ebay_user_id) : 'its own seller';
  const name = account ? `${account.house_name} (${account.environment})` : 'the account';
  const elsewhere = existing ? ` ${signedInAs} is already connected here as ${existing.house_name}.` : '';
  return (
    `You signed in at eBay as ${signedInAs}, but ${name} is eBay user ${expected}. ` +
    `Nothing was stored: the account is unchanged and ${signedInAs}'s grant was discarded.${elsewhere} ` +
    `Reconnect again and sign in as ${expected}.`
  );
}
