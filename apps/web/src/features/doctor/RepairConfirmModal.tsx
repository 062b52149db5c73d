import type { RepairAction, TokenRepairReport } from '@ebay-connector/contracts';
import { Alert, Button, Checkbox, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { EnvironmentLabel } from '../../components/EnvironmentLabel.tsx';
import { repairLabel } from './doctorCauses.ts';

interface RepairConfirmModalProps {
  /** The dry run of the chosen causes: exactly what would change. */
  preview: TokenRepairReport;
  applying: boolean;
  error: string | null;
  onApply: (accountIds: string[]) => void;
  onClose: () => void;
}

/**
 * "Confirm token repair": every account the repair would change, with each step in words, each
 * with a checkbox. Applying repairs only the checked accounts, and only what this list shows.
 */
export function RepairConfirmModal({ preview, applying, error, onApply, onClose }: RepairConfirmModalProps) {
  const [excluded, setExcluded] = useState<ReadonlySet<string>>(new Set());
  const chosen = preview.accounts
    .filter((a) => !excluded.has(a.ebay_account_id))
    .map((a) => a.ebay_account_id);
  const toggle = (id: string, on: boolean) =>
    setExcluded((previous) => {
      const next = new Set(previous);
      if (on) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Modal opened onClose={onClose} size="xl" title="Confirm token repair">
      <Stack gap="sm">
        <Text size="sm">
          {preview.changed === 0
            ? 'Nothing to repair for the causes you chose.'
            : `${preview.changed} accounts will change. Untick any you want left as they are.`}
        </Text>
        {preview.truncated && (
          <Alert color="yellow" variant="light">
            Only the first {preview.accounts.length} accounts are listed; only those can be applied here. Run
            it again for the rest, or use `npm run cli -- tokens repair`.
          </Alert>
        )}
        {preview.accounts.length > 0 && (
          <ScrollArea.Autosize mah={360} type="auto">
            <Table verticalSpacing={4} aria-label="Accounts the repair will change">
              <Table.Tbody>
                {preview.accounts.map((account) => (
                  <Table.Tr key={account.ebay_account_id}>
                    <Table.Td w={32}>
                      <Checkbox
                        aria-label={`Repair ${account.house_name}`}
                        checked={!excluded.has(account.ebay_account_id)}
                        onChange={(event) => toggle(account.ebay_account_id, event.currentTarget.checked)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {account.house_name}
                      </Text>
                      <EnvironmentLabel environment={account.environment} />
                    </Table.Td>
                    <Table.Td>
                      {account.steps.map((step) => (
                        <Text size="xs" key={`${step.token ?? 'account'}:${step.action}`}>
                          {step.token ? `${step.token} token` : 'account'}:{' '}
                          {repairLabel[step.action as RepairAction]}{' '}
                          <Text span c="dimmed" inherit ff="monospace">
                            ({step.cause})
                          </Text>
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
        {error && (
          <Alert color="red" variant="light" title="Token repair failed">
            {error}
          </Alert>
        )}
        <Text size="xs" c="dimmed">
          Repaired accounts that are due are refreshed at once: the worker is asked to run a cycle now.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="orange"
            disabled={chosen.length === 0}
            loading={applying}
            onClick={() => onApply(chosen)}
          >
            Apply repair to {chosen.length} {chosen.length === 1 ? 'account' : 'accounts'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
