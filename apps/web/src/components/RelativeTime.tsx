import { Text, type TextProps } from '@mantine/core';
import { formatDateTime, formatRelative } from '../lib/time.ts';
import { useNow } from './useNow.ts';

interface RelativeTimeProps extends TextProps {
  value: string | null | undefined;
  /** Show the absolute local time next to the relative one (otherwise it is the tooltip). */
  withAbsolute?: boolean;
}

/** "3 minutes ago · 12/01/2025, 12:00:03" in the user's locale. */
export function RelativeTime({ value, withAbsolute = false, ...props }: RelativeTimeProps) {
  const now = useNow(15_000);
  if (!value) {
    return (
      <Text span c="dimmed" {...props}>
        never
      </Text>
    );
  }
  const absolute = formatDateTime(value);
  return (
    <Text span {...props}>
      <time dateTime={value} title={absolute}>
        {formatRelative(value, now)}
      </time>
      {withAbsolute && (
        <Text span c="dimmed" inherit>
          {' · '}
          {absolute}
        </Text>
      )}
    </Text>
  );
}
