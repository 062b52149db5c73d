import { Code, Text } from '@mantine/core';
import { formatDuration } from '../../lib/time.ts';
import { parseCycleSummary } from '../terminal/cycleSummaryView.ts';

/** A loop's last summary: the token cycle's counts when it is one, the raw JSON otherwise. */
export function CycleSummaryText({ summary }: { summary: Record<string, unknown> | null }) {
  if (!summary) return null;
  const s = parseCycleSummary(summary);
  if (!s) {
    return (
      <Code block fz="xs">
        {JSON.stringify(summary, null, 2)}
      </Code>
    );
  }
  const codes = Object.entries(s.failed_by_code)
    .map(([code, count]) => `${code} ×${count}`)
    .join(', ');
  return (
    <Text size="xs" c="dimmed">
      Last cycle: {s.checked !== undefined ? `${s.checked} checked · ` : ''}
      {s.due} due · {s.refreshed} refreshed ·{' '}
      <Text span inherit {...(s.failed > 0 ? { c: 'red' } : {})}>
        {s.failed} failed{codes ? ` (${codes})` : ''}
      </Text>
      {s.skipped ? ` · ${s.skipped} skipped` : ''}
      {s.duration_ms !== undefined ? ` · ${formatDuration(s.duration_ms)}` : ''}
      {s.circuit_open ? ` · circuit open${s.circuit_reason ? ` (${s.circuit_reason})` : ''}` : ''}
      {s.aborted ? ' · cut short by shutdown' : ''}
      {s.quota && (
        <Text span inherit {...(s.quota.warning ? { c: 'orange' } : {})}>
          {` · ${s.quota.calls_24h.toLocaleString()} calls in 24 h of ${s.quota.limit.toLocaleString()}`}
        </Text>
      )}
      {s.app_token_quota && (
        <Text span inherit {...(s.app_token_quota.warning ? { c: 'orange' } : {})}>
          {` · application token: ${s.app_token_quota.calls_24h.toLocaleString()} calls in 24 h of ${s.app_token_quota.limit.toLocaleString()}`}
        </Text>
      )}
    </Text>
  );
}
