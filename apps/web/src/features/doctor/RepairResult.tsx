import type { TokenRepairReport } from '@ebay-connector/contracts';
import { Alert, List, Stack, Text } from '@mantine/core';
import { formatDateTime } from '../../lib/time.ts';
import { repairLabel } from './doctorCauses.ts';

const SHOWN_ACCOUNTS = 20;

/** What a repair did (apply) or would do (dry run), in words. */
export function RepairResult({ report }: { report: TokenRepairReport }) {
  const actions = Object.entries(report.by_action) as Array<[keyof typeof repairLabel, number]>;
  const title = report.apply
    ? `Repair applied: ${report.changed} of ${report.checked} accounts changed`
    : `Dry run: ${report.changed} of ${report.checked} accounts would change`;
  return (
    <Alert color={report.apply ? 'green' : 'blue'} variant="light" title={title}>
      <Stack gap={6}>
        {actions.length > 0 && (
          <List size="sm" spacing={2}>
            {actions.map(([action, count]) => (
              <List.Item key={action}>
                {repairLabel[action] ?? action}: {count}
              </List.Item>
            ))}
          </List>
        )}
        {report.accounts.length > 0 && (
          <Text size="xs" c="dimmed">
            {report.accounts
              .slice(0, SHOWN_ACCOUNTS)
              .map((a) => `${a.house_name} (${a.steps.map((s) => s.action).join(', ')})`)
              .join(' · ')}
            {report.accounts.length > SHOWN_ACCOUNTS &&
              ` · and ${report.accounts.length - SHOWN_ACCOUNTS} more`}
          </Text>
        )}
        {(report.conflicts > 0 || report.busy > 0) && (
          <Text size="sm" c="orange">
            {report.conflicts + report.busy} accounts were being refreshed or changed meanwhile and were left
            alone; run the repair again.
          </Text>
        )}
        {report.needs_seller > 0 && (
          <Text size="sm">
            {report.needs_seller} accounts {report.apply ? 'need' : 'will need'} the seller to reconnect.
          </Text>
        )}
        {report.waiting_for_key > 0 && (
          <Text size="sm">
            {report.waiting_for_key} accounts wait for their key to be added back; the repair left them alone.
          </Text>
        )}
        {report.refresh_after && <RefreshAfter after={report.refresh_after} />}
        {!report.apply && report.changed === 0 && <Text size="sm">Nothing to repair.</Text>}
      </Stack>
    </Alert>
  );
}

/** When the repaired accounts are refreshed: at once by a requested cycle, or when a worker runs. */
function RefreshAfter({ after }: { after: NonNullable<TokenRepairReport['refresh_after']> }) {
  if (after.due_now === 0) {
    return (
      <Text size="sm">
        None of the repaired accounts is due yet: each is refreshed when it comes due (Next refresh in the
        table).
      </Text>
    );
  }
  if (!after.worker_running) {
    return (
      <Text size="sm" c="orange">
        {after.due_now} repaired accounts are due, but no worker is running: they are refreshed as soon as one
        starts (a cycle was requested
        {after.cycle_requested_at ? ` at ${formatDateTime(after.cycle_requested_at)}` : ''}).
      </Text>
    );
  }
  return (
    <Text size="sm">
      {after.due_now} repaired accounts are due: the worker was asked to run a cycle now
      {after.cycle_requested_at ? ` (${formatDateTime(after.cycle_requested_at)})` : ''} and refreshes them
      within seconds; the table shows the outcome.
    </Text>
  );
}
