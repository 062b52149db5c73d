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
