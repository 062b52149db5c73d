import type { LoopStatus } from '@ebay-connector/contracts';
import { Badge, Group, Stack, Text } from '@mantine/core';
import { RelativeTime } from '../../components/RelativeTime.tsx';
import { formatInterval } from '../../lib/time.ts';
import { CycleSummaryText } from './CycleSummaryText.tsx';
import { LoopSchedule } from './LoopSchedule.tsx';

const statusColor = { ok: 'green', error: 'red', running: 'blue' } as const;

/** One loop's heartbeat: name, interval, last start and finish, status, stale badge, last summary. */
export function LoopStatusItem({ loop }: { loop: LoopStatus }) {
  return (
    <Stack gap={4}>
      <Group gap="xs" justify="space-between">
        <Text fw={600} ff="monospace" size="sm">
          {loop.name}
        </Text>
        <Group gap={4}>
          <Badge color={loop.last_status ? statusColor[loop.last_status] : 'gray'} variant="light">
            {loop.last_status ?? 'never ran'}
          </Badge>
          {loop.stale && (
            <Badge color="red" variant="filled" title="No finish within 3 × the interval">
              stale
            </Badge>
          )}
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        {formatInterval(loop.interval_seconds)}
        {loop.instance_id ? ` · instance ${loop.instance_id}` : ''}
      </Text>
      <Text size="xs">
        Last start: <RelativeTime value={loop.last_started_at} withAbsolute inherit />
      </Text>
      <Text size="xs">
        Last finish: <RelativeTime value={loop.last_finished_at} withAbsolute inherit />
      </Text>
      {loop.last_error && (
        <Text size="xs" c="red">
          {loop.last_error}
        </Text>
      )}
      <CycleSummaryText summary={loop.last_summary} />
      <LoopSchedule loop={loop} />
    </Stack>
  );
}
