import type { Environment, Source } from '@ebay-connector/contracts';
import { Button, Switch, Text } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeError } from '../../api/apiError.ts';
import type { TerminalFilter } from '../../api/terminal.ts';
import { CopyAllButton } from '../../components/CopyAllButton.tsx';
import { downloadText, timestampForFilename } from '../../lib/download.ts';
import { useAccountOptions } from '../accounts/useAccountOptions.ts';
import { entriesToCompactLines, entriesToLines } from './entryLines.ts';
import { TerminalFilters } from './TerminalFilters.tsx';
import { TerminalModal } from './TerminalModal.tsx';
import { TerminalScreen, type TerminalScreenHandle } from './TerminalScreen.tsx';
import { TerminalStatusBar } from './TerminalStatusBar.tsx';
import { linesToText } from './terminalLine.ts';
import { useTerminalFeed } from './useTerminalFeed.ts';

export interface LogTerminalProps {
  onClose: () => void;
  title: string;
  kind: TerminalFilter['kind'];
  env?: Environment | undefined;
  initialAccountId?: string | null;
  initialSources?: Source[];
}

/** Remembered across terminals and visits: one line an entry instead of the full transcript. */
const COMPACT_STORAGE_KEY = 'ebay-connector.terminal.compact';

/** Entries are oldest first, so the newer ones are a run at the end. */
function countNewerThan(entries: readonly { id: number }[], id: number): number {
  let count = 0;
  for (let index = entries.length - 1; index >= 0 && (entries[index]?.id ?? 0) > id; index--) count++;
  return count;
}

/** Opens the terminal; its state starts fresh every time it opens. */
export function LogTerminalModal({ opened, ...props }: LogTerminalProps & { opened: boolean }) {
  return opened ? <LogTerminal {...props} /> : null;
}

/**
 * Mounted already open, the modal never sees the element that opened it (Mantine records it when
 * `opened` changes), so focus would fall to the page body on close: give it back to the opener.
 */
function useReturnFocusOnClose(): void {
  const opener = useRef(document.activeElement);
  useEffect(() => {
    const element = opener.current;
    return () => {
      if (!(element instanceof HTMLElement)) return;
      // After the modal's own focus handling has run.
      setTimeout(() => {
        if (element.isConnected) element.focus({ preventScroll: true });
      }, 0);
    };
  }, []);
}

/**
 * The unified log terminal: history from `terminal-logs` plus the live SSE tail,
 * newest at the bottom, filterable, copyable. Used for the token worker terminal
 * and for an account's connect log.
 */
function LogTerminal({
  onClose,
  title,
  kind,
  env,
  initialAccountId = null,
  initialSources = [],
}: LogTerminalProps) {
  const [filter, setFilter] = useState<TerminalFilter>({
    kind,
    env,
    sources: initialSources,
    accountId: initialAccountId,
    errorsOnly: false,
    search: '',
    errorCodes: [],
    actions: [],
    cycle: null,
    since: null,
  });
  useReturnFocusOnClose();
  const [live, setLive] = useState(true);
  const feed = useTerminalFeed(filter, live);
  const [compact, setCompact] = useLocalStorage<boolean>({
    key: COMPACT_STORAGE_KEY,
    defaultValue: false,
    getInitialValueInEffect: false,
  });
  const lines = useMemo(
    () => (compact ? entriesToCompactLines(feed.entries) : entriesToLines(feed.entries)),
    [feed.entries, compact],
  );
  const { options } = useAccountOptions();

  const screenRef = useRef<TerminalScreenHandle>(null);
  const lastIdRef = useRef(0);
  lastIdRef.current = feed.entries.at(-1)?.id ?? 0;
  const [pausedAfterId, setPausedAfterId] = useState<number | null>(null);
  const onAtBottomChange = useCallback((atBottom: boolean) => {
    setPausedAfterId(atBottom ? null : lastIdRef.current);
  }, []);

  const placeholder = feed.isLoading ? (
    <Text c="gray.5">Loading…</Text>
  ) : feed.error ? (
    <Text c="red.5">Could not load the log: {describeError(feed.error)}</Text>
  ) : (
    <Text c="gray.5">
      No entries match these filters yet. Every refresh call, scheduled or manual, appears here as it happens.
    </Text>
  );

  return (
    <TerminalModal
      opened
      onClose={onClose}
      title={title}
      actions={
        <>
          <Switch
            label="Live"
            color="green"
            checked={live}
            onChange={(event) => setLive(event.currentTarget.checked)}
            styles={{ label: { color: 'var(--mantine-color-gray-3)' } }}
          />
          <Switch
            label="Compact"
            checked={compact}
            onChange={(event) => setCompact(event.currentTarget.checked)}
            styles={{ label: { color: 'var(--mantine-color-gray-3)' } }}
          />
          <CopyAllButton getText={() => linesToText(lines)} disabled={lines.length === 0} />
          <Button
            size="xs"
            variant="light"
            color="gray"
            disabled={lines.length === 0}
            onClick={() => downloadText(`${kind}-terminal-${timestampForFilename()}.log`, linesToText(lines))}
          >
            Download
          </Button>
        </>
      }
      toolbar={<TerminalFilters filter={filter} onChange={setFilter} accountOptions={options} />}
      footer={
        <TerminalStatusBar
          isLoading={feed.isLoading}
          entryCount={feed.entries.length}
          streamState={feed.streamState}
          paused={pausedAfterId !== null}
          newWhilePaused={pausedAfterId === null ? 0 : countNewerThan(feed.entries, pausedAfterId)}
          hasOlder={feed.hasOlder}
          isLoadingOlder={feed.isLoadingOlder}
          onJumpToLatest={() => screenRef.current?.scrollToBottom()}
        />
      }
    >
      <TerminalScreen
        ref={screenRef}
        label={title}
        lines={lines}
        placeholder={placeholder}
        onReachTop={feed.loadOlder}
        onAtBottomChange={onAtBottomChange}
        onCycleClick={(cycle) => setFilter((current) => ({ ...current, cycle }))}
      />
    </TerminalModal>
  );
}
