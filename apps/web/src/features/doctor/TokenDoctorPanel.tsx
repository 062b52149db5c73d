import type { Environment, TokenRepairReport } from '@ebay-connector/contracts';
import { Alert, Button, Card, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { describeError } from '../../api/apiError.ts';
import { useIsAdmin } from '../../api/auth.ts';
import { useTokenDoctor, useTokenRepair } from '../../api/doctor.ts';
import { CardHeader } from '../../components/CardHeader.tsx';
import { ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { CauseGroupSection } from './CauseGroupSection.tsx';
import { groupByCause } from './doctorCauses.ts';
import { RepairResult } from './RepairResult.tsx';

/**
 * Token doctor (Workers page): why each account's tokens do or do not work, grouped by cause,
 * with the repair that applies. Admins preview the repair (a dry run), then apply it; what
 * only the seller can fix gets a Reconnect button (the `connectStart` endpoint).
 */
export function TokenDoctorPanel({ env }: { env?: Environment | undefined }) {
  const isAdmin = useIsAdmin();
  const doctor = useTokenDoctor(env);
  const repair = useTokenRepair();
  // The environment a result is for: a preview of another environment cannot be applied here.
  const [result, setResult] = useState<{ report: TokenRepairReport; env: Environment | undefined } | null>(
    null,
  );

  const run = (apply: boolean) =>
    repair.mutate(
      { apply, env },
      {
        onSuccess: (report) => {
          setResult({ report, env });
          if (apply) {
            notifications.show({
              color: 'green',
              title: 'Token repair applied',
              message: `${report.changed} accounts changed`,
            });
          }
        },
        onError: (error) =>
          notifications.show({ color: 'red', title: 'Token repair failed', message: describeError(error) }),
      },
    );
  const shown = result && result.env === env ? result.report : null;
  const preview = shown && !shown.apply ? shown : null;

  return (
    <Card withBorder padding="md" radius="md">
      <CardHeader title="Token doctor">
        <Button
          size="compact-sm"
          variant="subtle"
          loading={doctor.isFetching}
          onClick={() => void doctor.refetch()}
        >
          Check again
        </Button>
      </CardHeader>
      <Stack gap="sm" mt="sm">
        {doctor.isPending ? (
          <LoadingState label="Checking every token…" />
        ) : doctor.error ? (
          <ErrorState error={doctor.error} onRetry={() => void doctor.refetch()} />
        ) : (
          <>
            <Text size="sm">
              {doctor.data.total.toLocaleString()} accounts checked · {doctor.data.healthy.toLocaleString()}{' '}
              healthy · {doctor.data.with_problems.toLocaleString()} with problems · current key{' '}
              <Text span ff="monospace" size="sm">
                {doctor.data.current_key_id}
              </Text>
            </Text>
            {doctor.data.with_problems === 0 ? (
              <Alert color="green" variant="light">
                Every token decrypts under the current key into a valid eBay token.
              </Alert>
            ) : (
              groupByCause(doctor.data.accounts).map((group) => (
                <CauseGroupSection key={group.cause} group={group} isAdmin={isAdmin} />
              ))
            )}
            {doctor.data.truncated && (
              <Text size="xs" c="dimmed">
                Showing {doctor.data.accounts.length} of {doctor.data.with_problems} accounts with problems.
              </Text>
            )}
          </>
        )}
        {isAdmin ? (
          <Stack gap="xs">
            <Group gap="xs">
              <Button variant="light" loading={repair.isPending && !preview} onClick={() => run(false)}>
                Preview repair
              </Button>
              <Button
                color="orange"
                disabled={!preview || preview.changed === 0}
                loading={repair.isPending && Boolean(preview)}
                onClick={() => run(true)}
              >
                Apply repair
              </Button>
            </Group>
            {shown && <RepairResult report={shown} />}
          </Stack>
        ) : (
          <Text size="xs" c="dimmed">
            Only admins can repair tokens.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
