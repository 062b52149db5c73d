import type { TokenRepairReport } from '@ebay-connector/contracts';
import { Alert, List, Stack, Text } from '@mantine/core';
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
        {!report.apply && report.changed === 0 && <Text size="sm">Nothing to repair.</Text>}
      </Stack>
    </Alert>
  );
}
