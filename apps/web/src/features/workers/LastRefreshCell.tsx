import type { AccountTokenStatus } from '@ebay-connector/contracts';
import { Badge, Group, Stack, Text } from '@mantine/core';
import { RelativeTime } from '../../components/RelativeTime.tsx';

/** Last refresh result: when, ok or failed, and the error code with its message. */
export function LastRefreshCell({ row }: { row: AccountTokenStatus }) {
  if (!row.last_refresh_at) {
    return (
      <Text size="sm" c="dimmed">
        never
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Badge size="sm" color={row.last_refresh_success ? 'green' : 'red'} variant="light">
          {row.last_refresh_success ? 'ok' : 'failed'}
        </Badge>
        <RelativeTime value={row.last_refresh_at} size="xs" />
      </Group>
      {row.last_error_code && (
        <Text size="xs" c="red" ff="monospace" lineClamp={2} title={row.last_error_message ?? undefined}>
          {row.last_error_code}
          {row.consecutive_failures > 1 ? ` ×${row.consecutive_failures}` : ''}
          {row.last_error_message ? `: ${row.last_error_message}` : ''}
        </Text>
      )}
    </Stack>
  );
}

/** "Last used by a service": when an API key last asked for this account's token, and its name. */
export function LastUsedCell({ row }: { row: AccountTokenStatus }) {
  if (!row.last_used_at) {
    return (
      <Text size="sm" c="dimmed">
        never
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      <RelativeTime value={row.last_used_at} size="xs" />
      <Text size="xs" c="dimmed" lineClamp={1} title={row.last_used_key_name ?? undefined}>
        {row.last_used_key_name ? `by ${row.last_used_key_name}` : 'by a key since deleted'}
      </Text>
    </Stack>
  );
}
