import { Text, type TextProps } from '@mantine/core';
import { formatCountdown, formatDateTime, millisUntil } from '../lib/time.ts';
import { useNow } from './useNow.ts';

interface CountdownProps extends TextProps {
  to: string | null | undefined;
  /** Below this many ms left the countdown turns orange. */
  warnBelowMs?: number;
}

/** "in 1h 42m" ticking down; red once expired. The absolute time is the tooltip. */
export function Countdown({ to, warnBelowMs = 15 * 60_000, ...props }: CountdownProps) {
  const now = useNow(1000);
  const left = millisUntil(to, now);
  if (left === null) {
    return (
      <Text span c="dimmed" {...props}>
        —
      </Text>
    );
  }
  const color = left <= 0 ? 'red' : left < warnBelowMs ? 'orange' : undefined;
  return (
    <Text span title={formatDateTime(to)} {...(color ? { c: color } : {})} {...props}>
      {left <= 0 ? `expired ${formatCountdown(left)} ago` : `in ${formatCountdown(left)}`}
    </Text>
  );
}
