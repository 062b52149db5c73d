import { endpoints } from '@ebay-connector/contracts';
import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../lib/time.ts';

/** The Workers page's **Notifications** line: eBay's Marketplace Account Deletion endpoint. */
export function NotificationsLine() {
  const { data } = useQuery({
    queryKey: ['notification-status'],
    queryFn: ({ signal }) => api(endpoints.notificationStatus, { signal }),
    refetchInterval: 30_000,
  });
  if (!data) return null;
  return (
    <Text size="sm" data-testid="notifications-line">
      <b>Notifications</b>
      {': '}
      {data.configured
        ? `account deletion endpoint set up · last received ${data.last_received_at ? formatDateTime(data.last_received_at) : 'never'}`
        : 'not set up (EBAY_NOTIFICATION_VERIFICATION_TOKEN)'}
      {data.last_failure_at && (
        <Text span c="red" inherit>
          {` · last verification failure ${formatDateTime(data.last_failure_at)} (${data.last_failure_reason ?? 'unknown'})`}
        </Text>
      )}
    </Text>
  );
}
