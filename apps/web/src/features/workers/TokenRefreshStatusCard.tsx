import { type Environment, tokenStateSchema } from '@ebay-connector/contracts';
import { Anchor, Badge, Button, Card, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTokenStatus } from '../../api/tokens.ts';
import { CardHeader } from '../../components/CardHeader.tsx';
import { ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { tokenStateColor, tokenStateLabel } from './TokenStateBadge.tsx';

interface TokenRefreshStatusCardProps {
  env: Environment | undefined;
  selectedState: string | undefined;
  onSelectState: (state: string | null) => void;
  onOpenHttpLogs: () => void;
  onOpenTerminal: () => void;
}

/** Counts of accounts by token state (click one to filter the table), the log viewers and the terminal. */
export function TokenRefreshStatusCard(props: TokenRefreshStatusCardProps) {
  const status = useTokenStatus({ env: props.env, limit: 1, offset: 0 });
  const failing = Object.entries(status.data?.failing_by_code ?? {}).filter(([, count]) => count > 0);

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
            <Text size="sm">{status.data.total.toLocaleString()} accounts</Text>
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
            {failing.length > 0 && (
              <Text size="xs" c="red">
                Failing by error code: {failing.map(([code, count]) => `${code} ×${count}`).join(', ')}
              </Text>
            )}
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
