import { Badge, Button, Group, Text } from '@mantine/core';
import type { StreamState } from './useLiveStream.ts';

interface TerminalStatusBarProps {
  /** The first page is still on its way: no count, no "start of log" yet. */
  isLoading: boolean;
  entryCount: number;
  streamState: StreamState;
  paused: boolean;
  newWhilePaused: number;
  hasOlder: boolean;
  isLoadingOlder: boolean;
  onJumpToLatest: () => void;
}

const streamBadge: Record<StreamState, { color: string; label: string }> = {
  live: { color: 'green', label: 'live' },
  connecting: { color: 'gray', label: 'connecting…' },
  reconnecting: { color: 'orange', label: 'reconnecting…' },
  off: { color: 'gray', label: 'live off' },
  unsupported: { color: 'gray', label: 'live unavailable' },
};

/** The bottom line: how many entries, whether the tail is live, and the way back to the latest. */
export function TerminalStatusBar(props: TerminalStatusBarProps) {
  const stream = streamBadge[props.streamState];
  return (
    <Group gap="md" px="md" py={6} bg="dark.8" justify="space-between" wrap="nowrap">
      <Group gap="md">
        <Text size="xs" c="gray.4" ff="monospace">
          {props.isLoading
            ? 'loading entries…'
            : `${props.entryCount.toLocaleString()} entries${
                props.isLoadingOlder
                  ? ' · loading older…'
                  : props.hasOlder
                    ? ' · scroll up for older'
                    : ' · start of log'
              }`}
        </Text>
        <Badge size="sm" variant="dot" color={stream.color} role="status">
          {stream.label}
        </Badge>
      </Group>
      <Group gap="xs">
        {/* Always mounted, so a screen reader announces the count as it changes. */}
        <Text size="xs" c="yellow.4" ff="monospace" role="status">
          {props.paused
            ? `paused while scrolled up${props.newWhilePaused > 0 ? ` · ${props.newWhilePaused} new` : ''}`
            : ''}
        </Text>
        {props.paused && (
          <Button size="compact-xs" variant="light" onClick={props.onJumpToLatest}>
            Jump to latest
          </Button>
        )}
      </Group>
    </Group>
  );
}
