import { Badge, Code, Text } from '@mantine/core';
import { useTokenInfo } from '../../api/accountManagement.ts';
import { ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { Fact, FactCard } from './FactList.tsx';

/** A stored token's decryptability: `ok`, or the diagnosis (unknown_key_id, double_encrypted…). */
function Decrypt({ value }: { value: string }) {
  return (
    <Badge
      size="sm"
      variant="light"
      color={value === 'ok' ? 'green' : value === 'missing' ? 'gray' : 'red'}
      tt="none"
    >
      {value === 'ok' ? 'decrypts to an eBay token' : value}
    </Badge>
  );
}

/**
 * Token facts (`token-info`): masked values, the key each is encrypted under, whether each
 * decrypts into a sendable eBay token. Fetched once per visit: every view is logged.
 */
export function TokenFactsCard({ accountId, hasTokens }: { accountId: string; hasTokens: boolean }) {
  const info = useTokenInfo(accountId, hasTokens);
  if (!hasTokens) return null;
  const note = 'Each view of these facts is logged (token_info_viewed) with your email.';
  if (info.isPending) return <LoadingState label="Reading the stored tokens…" />;
  if (info.error)
    return <ErrorState error={info.error} onRetry={() => void info.refetch()} title="Token facts" />;
  const { access_token: access, refresh_token: refresh } = info.data;
  return (
    <FactCard title="Token facts" note={note}>
      <Fact label="Access token">
        <Code>{access.masked ?? '—'}</Code> <Decrypt value={access.decrypt} />
        <Text size="xs" c="dimmed">
          key {access.key_id ?? '—'} · expires {formatDateTime(access.expires_at)}
        </Text>
      </Fact>
      <Fact label="Refresh token">
        <Code>{refresh.masked}</Code> <Decrypt value={refresh.decrypt} />
        <Text size="xs" c="dimmed">
          key {refresh.key_id ?? '—'} · expires {formatDateTime(refresh.expires_at)}
        </Text>
      </Fact>
      <Fact label="Token row version">
        <Text size="sm">{info.data.version}</Text>
      </Fact>
    </FactCard>
  );
}
