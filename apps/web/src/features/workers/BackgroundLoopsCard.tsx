import { Card, Divider, Stack } from '@mantine/core';
import { Fragment } from 'react';
import { useLoopStatus } from '../../api/workers.ts';
import { CardHeader } from '../../components/CardHeader.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { LoopStatusItem } from './LoopStatusItem.tsx';

export function BackgroundLoopsCard() {
  const loops = useLoopStatus();
  return (
    <Card withBorder padding="md" radius="md">
      <Card.Section withBorder inheritPadding py="xs">
        <CardHeader title="Background loops" />
      </Card.Section>
      <Stack gap="sm" mt="sm">
        {loops.isPending ? (
          <LoadingState />
        ) : loops.error ? (
          <ErrorState error={loops.error} onRetry={() => void loops.refetch()} />
        ) : loops.data.loops.length === 0 ? (
          <EmptyState title="No loop has reported yet">
            Start the worker; its heartbeat appears here.
          </EmptyState>
        ) : (
          loops.data.loops.map((loop, index) => (
            <Fragment key={loop.name}>
              {index > 0 && <Divider />}
              <LoopStatusItem loop={loop} />
            </Fragment>
          ))
        )}
      </Stack>
    </Card>
  );
}
