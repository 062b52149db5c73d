import type { Environment } from '@ebay-connector/contracts';
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useConnectStart } from '../../api/accounts.ts';
import { describeError } from '../../api/apiError.ts';

interface ReconnectButtonProps {
  account: { house_name: string; environment: Environment };
}

/** Runs the consent flow again for the same eBay user; the callback updates the existing account. */
export function ReconnectButton({ account }: ReconnectButtonProps) {
  const connect = useConnectStart();
  return (
    <Button
      size="compact-xs"
      color="orange"
      variant="light"
      loading={connect.isPending}
      onClick={() =>
        connect.mutate(
          { environment: account.environment, house_name: account.house_name },
          {
            onError: (error) =>
              notifications.show({ color: 'red', title: 'Reconnect failed', message: describeError(error) }),
          },
        )
      }
    >
      Reconnect
    </Button>
  );
}
