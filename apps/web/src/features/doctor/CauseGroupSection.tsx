import { Badge, Checkbox, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { EnvironmentLabel } from '../../components/EnvironmentLabel.tsx';
import { ReconnectButton } from '../accounts/ReconnectButton.tsx';
import { type CauseGroup, causeInfo, repairLabel, sellerMustReconnect } from './doctorCauses.ts';

const SHOWN_ROWS = 25;

interface CauseGroupSectionProps {
  group: CauseGroup;
  isAdmin: boolean;
  /** The cause can be chosen for the repair: whether it is, and how to change that. */
  selection?: { selected: boolean; label: string; onChange: (selected: boolean) => void } | undefined;
  /** Advice shown under the description (the missing key's place). */
  advice?: ReactNode;
}

/** One cause: what it means, and each account it affects with the repair that applies. */
export function CauseGroupSection({ group, isAdmin, selection, advice }: CauseGroupSectionProps) {
  const info = causeInfo[group.cause];
  const shown = group.entries.slice(0, SHOWN_ROWS);
  return (
    <Paper withBorder p="sm" radius="sm" aria-label={info.title} component="section">
      <Stack gap={6}>
        <Group gap="xs" wrap="nowrap">
          <Title order={5}>{info.title}</Title>
          <Badge color={group.severity === 'error' ? 'red' : 'yellow'} variant="light">
            {group.entries.length}
          </Badge>
          <Text size="xs" c="dimmed" ff="monospace">
            {group.cause}
          </Text>
        </Group>
        <Text size="sm" c="dimmed">
          {info.description}
        </Text>
        {advice}
        {isAdmin && selection && (
          <Checkbox
            size="sm"
            label={selection.label}
            checked={selection.selected}
            onChange={(event) => selection.onChange(event.currentTarget.checked)}
          />
        )}
        <Table striped withRowBorders={false} verticalSpacing={4}>
          <Table.Tbody>
            {shown.map(({ account, problem }) => (
              <Table.Tr key={`${account.ebay_account_id}:${problem.token ?? 'account'}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {account.house_name}
                  </Text>
                  <EnvironmentLabel environment={account.environment} />
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{problem.message}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c={sellerMustReconnect(problem) ? 'orange' : 'teal'}>
                    {repairLabel[problem.repair]}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {isAdmin && sellerMustReconnect(problem) && account.status !== 'removed' && (
                    <ReconnectButton account={account} />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {group.entries.length > shown.length && (
          <Text size="xs" c="dimmed">
            and {group.entries.length - shown.length} more (`npm run cli -- tokens doctor` lists them all)
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
