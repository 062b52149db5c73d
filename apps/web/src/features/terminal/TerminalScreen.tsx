import { Box, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type KeyboardEvent,
  type ReactNode,
  type Ref,
  useCallback,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
} from 'react';
import type { CycleWindow } from '../../api/terminal.ts';
import { type TerminalLine, toneColor, wrapLines } from './terminalLine.ts';
import { useTerminalColumns } from './useTerminalColumns.ts';

export const TERMINAL_LINE_HEIGHT = 18;
const NEAR_EDGE = TERMINAL_LINE_HEIGHT * 3;
/** Left and right padding of each row (Mantine `md`) plus room for a scrollbar. */
const ROW_PADDING_PX = 2 * 16 + 16;

export interface TerminalScreenHandle {
  scrollToBottom: () => void;
}

interface TerminalScreenProps {
  lines: readonly TerminalLine[];
  label: string;
  /** Shown instead of lines when there are none (loading, empty, error). */
  placeholder?: ReactNode;
  /** Called when the reader reaches the top (to load older entries). */
  onReachTop?: () => void;
  onAtBottomChange?: (atBottom: boolean) => void;
  /** A click (or Enter) on a cycle marker line: show that cycle's entries. */
  onCycleClick?: (cycle: CycleWindow) => void;
  ref?: Ref<TerminalScreenHandle>;
}

/**
 * A black, monospace, virtualised line view. Every line has the same height, so
 * only the visible rows are in the DOM and prepending older lines can keep the
 * reader's place exactly. It sticks to the bottom while the reader is there.
 */
export function TerminalScreen({
  lines: logicalLines,
  label,
  placeholder,
  onReachTop,
  onAtBottomChange,
  onCycleClick,
  ref,
}: TerminalScreenProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const probeRef = useRef<HTMLDivElement>(null);
  const columns = useTerminalColumns(scrollRef, probeRef, ROW_PADDING_PX);
  const lines = useMemo(() => wrapLines(logicalLines, columns), [logicalLines, columns]);
  const atBottomRef = useRef(true);
  const firstKeyRef = useRef<string | undefined>(undefined);

  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TERMINAL_LINE_HEIGHT,
    getItemKey: (index) => lines[index]?.key ?? index,
    overscan: 30,
  });

  const scrollToBottom = useCallback(() => {
    const element = scrollRef.current;
    if (element) element.scrollTop = element.scrollHeight;
    atBottomRef.current = true;
    onAtBottomChange?.(true);
  }, [onAtBottomChange]);
  useImperativeHandle(ref, () => ({ scrollToBottom }), [scrollToBottom]);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    const previousFirst = firstKeyRef.current;
    firstKeyRef.current = lines[0]?.key;
    if (!element) return;
    if (atBottomRef.current) {
      element.scrollTop = element.scrollHeight;
    } else if (previousFirst !== undefined && lines[0]?.key !== previousFirst) {
      // Older lines were prepended: move down by exactly their height so the view does not jump.
      const shift = lines.findIndex((line) => line.key === previousFirst);
      if (shift > 0) element.scrollTop += shift * TERMINAL_LINE_HEIGHT;
    }
    if (element.scrollHeight <= element.clientHeight && lines.length > 0) onReachTop?.();
  }, [lines, onReachTop]);

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_EDGE;
    if (atBottom !== atBottomRef.current) {
      atBottomRef.current = atBottom;
      onAtBottomChange?.(atBottom);
    }
    if (element.scrollTop < NEAR_EDGE) onReachTop?.();
  };

  return (
    <Box
      ref={scrollRef}
      onScroll={onScroll}
      role="log"
      aria-label={label}
      aria-live="off"
      tabIndex={0}
      bg="black"
      ff="monospace"
      fz={13}
      style={{
        flex: 1,
        minHeight: 0,
        height: '100%',
        overflow: 'auto',
        lineHeight: `${TERMINAL_LINE_HEIGHT}px`,
      }}
    >
      <Box
        ref={probeRef}
        component="span"
        aria-hidden
        pos="absolute"
        style={{ visibility: 'hidden', whiteSpace: 'pre' }}
      >
        {'0'.repeat(100)}
      </Box>
      {lines.length === 0 ? (
        <Box p="md" c="gray.5">
          {placeholder}
        </Box>
      ) : (
        <Box pos="relative" miw="100%" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = lines[item.index];
            if (!line) return null;
            const cycle = onCycleClick ? line.cycle : undefined;
            const clickable = cycle
              ? {
                  role: 'button',
                  tabIndex: 0,
                  title: "Show this cycle's entries",
                  onClick: () => onCycleClick?.(cycle),
                  onKeyDown: (event: KeyboardEvent) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      onCycleClick?.(cycle);
                    }
                  },
                }
              : {};
            return (
              <Text
                key={item.key}
                component="div"
                data-tone={line.tone}
                c={toneColor[line.tone]}
                inherit
                px="md"
                {...clickable}
                style={{
                  cursor: cycle ? 'pointer' : undefined,
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  height: TERMINAL_LINE_HEIGHT,
                  whiteSpace: 'pre',
                  transform: `translateY(${item.start}px)`,
                }}
              >
                {line.text || ' '}
              </Text>
            );
          })}
        </Box>
      )}
    </Box>
  );
}
