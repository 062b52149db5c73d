import { Text } from '@mantine/core';
import { formatDateTime, millisUntil } from '../../lib/time.ts';

const THIRTY_DAYS_MS = 30 * 86_400_000;

/** The refresh token's expiry in days; orange inside 30 days (plan a reconnect), red once expired. */
export function RefreshTokenExpiry({ expiresAt }: { expiresAt: string | null }) {
  const left = millisUntil(expiresAt);
  if (left === null) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const days = Math.floor(left / 86_400_000);
  const color = left <= 0 ? 'red' : left < THIRTY_DAYS_MS ? 'orange' : undefined;
  return (
    <Text size="sm" title={formatDateTime(expiresAt)} {...(color ? { c: color, fw: 600 } : {})}>
      {left <= 0 ? 'expired' : days < 1 ? 'today' : `in ${days} days`}
    </Text>
  );
}
