import { type Environment, type TokenState, tokenStateSchema } from '@ebay-connector/contracts';
import { Anchor, Badge, Button, Card, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTokenStatus } from '../../api/tokens.ts';
import { CardHeader } from '../../components/CardHeader.tsx';
import { ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { tokenStateColor, tokenStateLabel } from './TokenStateBadge.tsx';

/** Why the time is shown: the server reuses large orgs' counts briefly (statusCounts.ts). */
const COUNTS_AGE_NOTE =
  'With 5,000 accounts or more the counts are reused for up to 10 seconds; the table rows are always current.';

interface TokenRefreshStatusCardProps {
  env: Environment | undefined;
  selectedState: string | undefined;
  onSelectState: (state: string | null) => void;
  /** A cause in a breakdown: the table shows those accounts. */
  onSelectCause: (state: TokenState, code: string) => void;
  onOpenHttpLogs: () => void;
  onOpenTerminal: () => void;
}

/** Counts of accounts by token state (click one to filter the table), the log viewers and the terminal. */
export function TokenRefreshStatusCard(props: TokenRefreshStatusCardProps) {
  const status = useTokenStatus({ env: props.env, limit: 1, offset: 0 });
  // Each breakdown covers the accounts of the state it is labelled with, so it adds up to that badge.
  const breakdowns = [
    { label: 'Failing by error code', state: 'failing' as const, codes: status.data?.failing_by_code },
    {
      label: 'Needs reconnect by error code',
      state: 'needs_reconnect' as const,
      codes: status.data?.needs_reconnect_by_code,
    },
  ]
    .map((b) => ({ ...b, codes: Object.entries(b.codes ?? {}).filter(([, n]) => n > 0) }))
    .filter(({ codes }) => codes.length > 0);

  return (
    <Card withBorder padding="md" radius="md">
      <Card.Section withBorder inheritPadding py="xs">
        <CardHeader title="Token refresh status">
          <Anchor component="button" type="button" size="sm" onClick={props.onOpenHttpLogs}>
            View token HTTP logs (JSON)
          </Anchor>
        </CardHeader>
      </Card.Section>
      <Stack gap="sm" mt="sm">
        {status.isPending ? (
          <LoadingState />
        ) : status.error ? (
          <ErrorState error={status.error} onRetry={() => void status.refetch()} />
        ) : (
          <>
            <Group justify="space-between" gap="xs">
              <Text size="sm">{status.data.total.toLocaleString()} accounts</Text>
              <Text size="xs" c="dimmed" title={COUNTS_AGE_NOTE}>
                as of {formatDateTime(status.data.counts_as_of)}
              </Text>
            </Group>
            <Group gap={6}>
              {tokenStateSchema.options.map((state) => (
                <UnstyledButton
                  key={state}
                  onClick={() => props.onSelectState(props.selectedState === state ? null : state)}
                  aria-pressed={props.selectedState === state}
                  aria-label={`Show ${tokenStateLabel(state)} accounts`}
                >
                  <Badge
                    color={tokenStateColor[state]}
                    variant={props.selectedState === state ? 'filled' : 'light'}
                  >
                    {tokenStateLabel(state)}: {status.data.counts[state] ?? 0}
                  </Badge>
                </UnstyledButton>
              ))}
            </Group>
            {breakdowns.map(({ label, state, codes }) => (
              <Text key={label} size="xs" c="red">
                {label}:{' '}
                {codes.map(([code, count], i) => (
                  <span key={code}>
                    {i > 0 && ', '}
                    <Anchor
                      component="button"
                      type="button"
                      size="xs"
                      c="red"
                      underline="always"
                      aria-label={`Show the ${count} ${tokenStateLabel(state)} accounts with ${code}`}
                      onClick={() => props.onSelectCause(state, code)}
                    >
                      {code} ×{count}
                    </Anchor>
                  </span>
                ))}
              </Text>
            ))}
          </>
        )}
        <Anchor component="button" type="button" size="sm" onClick={props.onOpenHttpLogs} ta="left">
          View raw HTTP token logs
        </Anchor>
        <Button onClick={props.onOpenTerminal} color="dark" fullWidth>
          Open token worker terminal
        </Button>
      </Stack>
    </Card>
  );
}
