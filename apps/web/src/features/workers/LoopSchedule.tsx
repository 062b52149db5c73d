import type { LoopStatus } from '@ebay-connector/contracts';
import { Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { describeError } from '../../api/apiError.ts';
import { useIsAdmin } from '../../api/auth.ts';
import { runPending, useRunCycle } from '../../api/workers.ts';
import { RelativeTime } from '../../components/RelativeTime.tsx';
import { useNow } from '../../components/useNow.ts';
import { formatCountdown, formatDateTime, millisUntil } from '../../lib/time.ts';

/**
 * When the loop runs next ("Next cycle in 7m 12s", over every replica) and, for admins,
 * **Run cycle now**: the request goes through the database and one replica takes it. What
 * happened to the last request is said until it is old news.
 */
export function LoopSchedule({ loop }: { loop: LoopStatus }) {
  const isAdmin = useIsAdmin();
  const run = useRunCycle();
  const pending = runPending(loop);
  const replicas = loop.replicas.length;
  return (
    <Stack gap={4}>
      <Group gap="xs" justify="space-between" wrap="nowrap">
        <Text size="xs">
          {loop.last_status === 'running' ? (
            'A cycle is running now'
          ) : loop.next_cycle_at ? (
            <NextCycle at={loop.next_cycle_at} />
          ) : replicas === 0 ? (
            <Text span c="orange" inherit>
              No worker replica is running: no cycle until one starts
            </Text>
          ) : (
            'Next cycle: not reported yet'
          )}
          {replicas > 1 && (
            <Text span c="dimmed" inherit title={loop.replicas.map((r) => r.instance_id).join('\n')}>
              {' '}
              · {replicas} replicas
            </Text>
          )}
        </Text>
        {isAdmin && (
          <Button
            size="compact-xs"
            variant="light"
            loading={run.isPending}
            disabled={pending}
            onClick={() =>
              run.mutate(loop.name, {
                onError: (error) =>
                  notifications.show({
                    color: 'red',
                    title: 'Run cycle now failed',
                    message: describeError(error),
                  }),
              })
            }
          >
            Run cycle now
          </Button>
        )}
      </Group>
      <RunRequestLine loop={loop} pending={pending} />
    </Stack>
  );
}

/** Taken requests are shown for ten minutes; after that the cycle is just another cycle. */
const RECENT_MS = 10 * 60_000;

function RunRequestLine({ loop, pending }: { loop: LoopStatus; pending: boolean }) {
  const request = loop.run_request;
  if (!request?.requested_at) return null;
  const by = request.requested_by ? ` by ${request.requested_by}` : '';
  if (pending) {
    return (
      <Text size="xs" c="blue" role="status">
        Cycle requested{by} <RelativeTime value={request.requested_at} inherit />:{' '}
        {loop.replicas.length === 0
          ? 'no replica is running to take it; it runs when one starts.'
          : 'waiting for a replica (one that is mid-cycle takes it when that cycle ends).'}
      </Text>
    );
  }
  if (!request.taken_at || Date.now() - Date.parse(request.taken_at) > RECENT_MS) return null;
  return (
    <Text size="xs" c="dimmed" role="status">
      Requested cycle{by} started <RelativeTime value={request.taken_at} inherit /> on {request.taken_by}
    </Text>
  );
}

/** "Next cycle in 7m 12s" ticking; "due now" once the time has come (a replica is starting it). */
function NextCycle({ at }: { at: string }) {
  const now = useNow(1000);
  const left = millisUntil(at, now) ?? 0;
  return (
    <span title={formatDateTime(at)}>Next cycle {left > 0 ? `in ${formatCountdown(left)}` : 'due now'}</span>
  );
}
