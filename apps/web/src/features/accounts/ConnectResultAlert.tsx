import { Alert } from '@mantine/core';
import { useSearchParams } from 'react-router-dom';
import { useAccounts } from '../../api/accounts.ts';
import { accountLabel } from './useAccountOptions.ts';

const CONNECT_PARAMS = ['connected', 'connect_error', 'message'];

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

  if (connectedId) {
    const account = accounts.data?.accounts.find((candidate) => candidate.id === connectedId);
    return (
      <Alert color="green" variant="light" title="eBay account connected" withCloseButton onClose={dismiss}>
        {account
          ? `${accountLabel(account)} is connected as eBay user ${account.ebay_username ?? account.ebay_user_id}. Its tokens are stored encrypted and refreshed automatically.`
          : 'The account is connected. Its tokens are stored encrypted and refreshed automatically.'}
      </Alert>
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
