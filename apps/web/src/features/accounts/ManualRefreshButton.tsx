import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useManualRefresh } from '../../api/accounts.ts';
import { describeError } from '../../api/apiError.ts';
import { formatDateTime } from '../../lib/time.ts';

/** Refreshes one account now (source=manual) and says how it went. */
export function ManualRefreshButton({ accountId, houseName }: { accountId: string; houseName: string }) {
  const refresh = useManualRefresh();
  return (
    <Button
      size="compact-xs"
      variant="light"
      color="yellow"
      loading={refresh.isPending}
      onClick={() =>
        refresh.mutate(accountId, {
          onSuccess: (result) =>
            notifications.show(
              result.success
                ? {
                    color: 'green',
                    title: `${houseName} refreshed`,
                    message: `New access token expires ${formatDateTime(result.access_token_expires_at)}`,
                  }
                : {
                    color: 'red',
                    title: `${houseName}: refresh failed`,
                    message: `${result.error ?? 'error'}${result.error_description ? `: ${result.error_description}` : ''}`,
                  },
            ),
          onError: (error) =>
            notifications.show({ color: 'red', title: 'Refresh failed', message: describeError(error) }),
        })
      }
    >
      Refresh now
    </Button>
  );
}
