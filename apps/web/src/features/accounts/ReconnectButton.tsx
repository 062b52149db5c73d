import type { Environment } from '@ebay-connector/contracts';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useConnectStart } from '../../api/accounts.ts';
import { describeError } from '../../api/apiError.ts';
import { accountLabel } from './useAccountOptions.ts';

/** What a reconnect needs to know of the account (a token status row and a doctor entry both are one). */
export interface ReconnectTarget {
  ebay_account_id: string;
  house_name: string;
  environment: Environment;
  ebay_username: string | null;
  ebay_user_id?: string | null;
}

/**
 * Reconnect: first a dialog naming the seller who must sign in at eBay, then the consent flow
 * bound to this account (`ebay_account_id`), so a grant by anyone else changes nothing.
 */
export function ReconnectButton({
  account,
  label = 'Reconnect',
}: {
  account: ReconnectTarget;
  label?: string;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button size="compact-xs" color="orange" variant="light" onClick={open}>
        {label}
      </Button>
      {opened && <ReconnectDialog account={account} onClose={close} />}
    </>
  );
}

export function ReconnectDialog({ account, onClose }: { account: ReconnectTarget; onClose: () => void }) {
  const connect = useConnectStart();
  const seller = account.ebay_username ?? account.ebay_user_id ?? 'the account’s seller';
  return (
    <Modal opened onClose={onClose} title={`Reconnect ${accountLabel(account)}`}>
      <Stack gap="md">
        <Text size="sm">
          At eBay, sign in as{' '}
          <Text span fw={700} ff="monospace" data-testid="reconnect-seller">
            {seller}
          </Text>
          {account.ebay_user_id && account.ebay_username && (
            <Text span c="dimmed" size="sm">
              {' '}
              (eBay user id {account.ebay_user_id})
            </Text>
          )}{' '}
          and grant access again. eBay shows its sign-in page even if someone is signed in there already.
        </Text>
        <Text size="sm" c="dimmed">
          If you sign in as another seller, nothing is stored for {account.house_name}: you come back here
          with a message, and can connect that seller as a new account instead.
        </Text>
        {connect.error && (
          <Alert color="red" variant="light" title="Could not start the reconnect">
            {describeError(connect.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="orange"
            loading={connect.isPending || connect.isSuccess}
            onClick={() => connect.mutate({ ebay_account_id: account.ebay_account_id })}
            data-autofocus
          >
            Continue to eBay as {seller}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
