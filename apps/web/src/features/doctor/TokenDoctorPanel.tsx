import type {
  DoctorCause,
  Environment,
  TokenDoctorReport,
  TokenRepairReport,
} from '@ebay-connector/contracts';
import { Alert, Button, Card, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { describeError } from '../../api/apiError.ts';
import { useIsAdmin } from '../../api/auth.ts';
import { useTokenDoctor, useTokenRepair } from '../../api/doctor.ts';
import { CardHeader } from '../../components/CardHeader.tsx';
import { ErrorState, LoadingState } from '../../components/QueryStates.tsx';
import { CauseGroupSection } from './CauseGroupSection.tsx';
import { type CauseGroup, groupByCause, repairableCauses } from './doctorCauses.ts';
import { KeyRingAdvice } from './KeyRingAdvice.tsx';
import { RepairConfirmModal } from './RepairConfirmModal.tsx';
import { RepairResult } from './RepairResult.tsx';

/**
 * Token doctor (Workers page): why each account's tokens do or do not work, grouped by cause,
 * with the repair that applies. Admins choose the causes to repair (a missing key is not one by
 * default: the advice is to add it back), review the list of what will change, untick what
 * should stay, and apply; what only the seller can fix gets a Reconnect button.
 */
export function TokenDoctorPanel({ env }: { env?: Environment | undefined }) {
  const isAdmin = useIsAdmin();
  const doctor = useTokenDoctor(env);
  const repair = useTokenRepair();
  const groups = useMemo(() => groupByCause(doctor.data?.accounts ?? []), [doctor.data]);
  const repairable = useMemo(() => repairableCauses(groups), [groups]);
  // Causes the admin changed from their default (every repairable cause but a missing key).
  const [choices, setChoices] = useState<Partial<Record<DoctorCause, boolean>>>({});
  const chosen = repairable.filter((cause) => choices[cause] ?? cause !== 'unknown_key_id');
  const [preview, setPreview] = useState<TokenRepairReport | null>(null);
  const [result, setResult] = useState<{ report: TokenRepairReport; env: Environment | undefined } | null>(
    null,
  );

  const selection = {
    env,
    causes: chosen,
    unknown_key: chosen.includes('unknown_key_id') ? ('mark_needs_reconnect' as const) : ('leave' as const),
  };
  const review = () =>
    repair.mutate(
      { apply: false, ...selection },
      {
        onSuccess: (report) => setPreview(report),
        onError: (error) =>
          notifications.show({ color: 'red', title: 'Token repair failed', message: describeError(error) }),
      },
    );
  const apply = (accountIds: string[]) =>
    repair.mutate(
      { apply: true, ...selection, ebay_account_ids: accountIds },
      {
        onSuccess: (report) => {
          setPreview(null);
          setResult({ report, env });
          notifications.show({
            color: 'green',
            title: 'Token repair applied',
            message: `${report.changed} accounts changed`,
          });
        },
      },
    );
  const shown = result && result.env === env ? result.report : null;

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
          <DoctorFindings
            report={doctor.data}
            groups={groups}
            isAdmin={isAdmin}
            repairable={repairable}
            chosen={chosen}
            onChoose={(cause, on) => setChoices((previous) => ({ ...previous, [cause]: on }))}
          />
        )}
        {isAdmin ? (
          repairable.length > 0 && (
            <Group gap="xs">
              <Button
                color="orange"
                disabled={chosen.length === 0}
                loading={repair.isPending && !preview}
                onClick={review}
              >
                Review repair…
              </Button>
              <Text size="xs" c="dimmed">
                {chosen.length === 0
                  ? 'Choose at least one cause above.'
                  : `Repairs: ${chosen.join(', ')}. You confirm the list of accounts before anything changes.`}
              </Text>
            </Group>
          )
        ) : (
          <Text size="xs" c="dimmed">
            Only admins can repair tokens.
          </Text>
        )}
        {shown && <RepairResult report={shown} />}
      </Stack>
      {preview && (
        <RepairConfirmModal
          preview={preview}
          applying={repair.isPending}
          error={repair.error ? describeError(repair.error) : null}
          onApply={apply}
          onClose={() => setPreview(null)}
        />
      )}
    </Card>
  );
}

interface DoctorFindingsProps {
  report: TokenDoctorReport;
  groups: CauseGroup[];
  isAdmin: boolean;
  repairable: DoctorCause[];
  chosen: DoctorCause[];
  onChoose: (cause: DoctorCause, on: boolean) => void;
}

function DoctorFindings({ report, groups, isAdmin, repairable, chosen, onChoose }: DoctorFindingsProps) {
  if (report.total === 0) {
    return (
      <Alert color="gray" variant="light" title="No accounts to check yet">
        The doctor checks the stored tokens of every connected account; connect one first.
      </Alert>
    );
  }
  const missingKeys = [
    ...new Set(
      report.accounts.flatMap((a) =>
        [a.refresh_token, a.access_token]
          .filter((t) => t.state === 'unknown_key_id')
          .map((t) => t.key_id ?? '?'),
      ),
    ),
  ];
  return (
    <>
      <Text size="sm">
        {report.total.toLocaleString()} accounts checked · {report.healthy.toLocaleString()} healthy ·{' '}
        {report.with_problems.toLocaleString()} with problems · current key{' '}
        <Text span ff="monospace" size="sm">
          {report.current_key_id}
        </Text>
      </Text>
      {report.with_problems === 0 ? (
        <Alert color="green" variant="light">
          Every token decrypts under the current key into a valid eBay token.
        </Alert>
      ) : (
        groups.map((group) => (
          <CauseGroupSection
            key={group.cause}
            group={group}
            isAdmin={isAdmin}
            advice={
              group.cause === 'unknown_key_id' ? (
                <KeyRingAdvice keyRing={report.key_ring} keyIds={missingKeys} />
              ) : null
            }
            selection={
              repairable.includes(group.cause)
                ? {
                    selected: chosen.includes(group.cause),
                    label:
                      group.cause === 'unknown_key_id'
                        ? `The key is lost for good: mark these ${new Set(group.entries.map((e) => e.account.ebay_account_id)).size} accounts needs reconnect`
                        : 'Include in the repair',
                    onChange: (on) => onChoose(group.cause, on),
                  }
                : undefined
            }
          />
        ))
      )}
      {report.truncated && (
        <Text size="xs" c="dimmed">
          Showing {report.accounts.length} of {report.with_problems} accounts with problems.
        </Text>
      )}
    </>
  );
}
