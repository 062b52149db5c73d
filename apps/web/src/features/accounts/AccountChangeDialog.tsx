import type { Account } from '@ebay-connector/contracts';
import { Alert, Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { type AccountChange, useChangeAccount } from '../../api/accountManagement.ts';
import { describeError } from '../../api/apiError.ts';
import { accountLabel } from './useAccountOptions.ts';

/** What each change does, said before it is done. */
const CONSEQUENCES: Record<AccountChange, { title: string; button: string; color: string; lines: string[] }> =
  {
    disable: {
      title: 'Disable',
      button: 'Disable account',
      color: 'orange',
      lines: [
        'The worker stops refreshing it; its tokens stay stored, and its access token expires within hours.',
        'Services can no longer get a token for it.',
        'Enable it again at any time.',
      ],
    },
    enable: {
      title: 'Enable',
      button: 'Enable account',
      color: 'blue',
      lines: [
        'The worker refreshes it again from its next cycle, without waiting for an earlier failure’s backoff.',
      ],
    },
    remove: {
      title: 'Remove',
      button: 'Remove account',
      color: 'red',
      lines: [
        'Its access and refresh tokens are erased now; this cannot be undone.',
        'It leaves the account lists, the token table and the doctor.',
        'Its refresh log and connect log stay, under its name, and its page still opens from them.',
        'Connecting the same seller later continues this account’s history.',
      ],
    },
  };

/** Disable, enable or remove, each confirmed; removal also asks for the house name. */
export function AccountChangeDialog({
  account,
  change,
  onClose,
}: {
  account: Pick<Account, 'id' | 'house_name' | 'environment'>;
  change: AccountChange;
  onClose: () => void;
}) {
  const mutation = useChangeAccount();
  const [typed, setTyped] = useState('');
  const info = CONSEQUENCES[change];
  const confirmed = change !== 'remove' || typed.trim() === account.house_name;
  const confirm = () =>
    mutation.mutate(
      { accountId: account.id, change },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            title: `${info.title}d ${accountLabel(account)}`,
            message: info.lines[0],
          });
          onClose();
        },
      },
    );
  return (
    <Modal opened onClose={onClose} title={`${info.title} ${accountLabel(account)}?`}>
      <Stack gap="md">
        <List size="sm" spacing={4}>
          {info.lines.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
        {change === 'remove' && (
          <TextInput
            label={`Type the house name (${account.house_name}) to confirm`}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            data-autofocus
          />
        )}
        {mutation.error && (
          <Alert color="red" variant="light" title={`${info.title} failed`}>
            {describeError(mutation.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={info.color} disabled={!confirmed} loading={mutation.isPending} onClick={confirm}>
            {info.button}
          </Button>
        </Group>
        {change !== 'remove' && (
          <Text size="xs" c="dimmed">
            Logged in the account’s connect log with your email.
          </Text>
        )}
      </Stack>
    </Modal>
  );
}
