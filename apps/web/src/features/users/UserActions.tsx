import type { endpoints, OrgUser, ResponseOf } from '@ebay-connector/contracts';
import { Alert, Button, Group, Menu, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { describeError } from '../../api/apiError.ts';
import { useRemoveUser, useResetPassword, useSetUserDisabled } from '../../api/users.ts';

type Issued = ResponseOf<typeof endpoints.resetUserPassword>;
type Action = 'disable' | 'enable' | 'remove' | 'reset_link' | 'reset_one_time_password';

const WORDS: Record<Action, { title: string; body: string; button: string; color: string }> = {
  disable: {
    title: 'Disable',
    body: 'They are signed out everywhere at once and cannot sign in until enabled again.',
    button: 'Disable user',
    color: 'orange',
  },
  enable: {
    title: 'Enable',
    body: 'They can sign in again with their password.',
    button: 'Enable user',
    color: 'blue',
  },
  remove: {
    title: 'Remove',
    body: 'The user and their sessions are deleted. Their name stays in the logs of what they did.',
    button: 'Remove user',
    color: 'red',
  },
  reset_link: {
    title: 'Send a reset link to',
    body: 'Their password stops working now and they are signed out; the link lets them choose a new one (valid 24 hours).',
    button: 'Make reset link',
    color: 'orange',
  },
  reset_one_time_password: {
    title: 'Set a one-time password for',
    body: 'Their password stops working now and they are signed out; they sign in with the one-time password and must choose a new one.',
    button: 'Make one-time password',
    color: 'orange',
  },
};

/** "Manage ▾" of a user row: reset the password, disable or enable, remove; each confirmed. */
export function UserActions({ user, onIssued }: { user: OrgUser; onIssued: (issued: Issued) => void }) {
  const [action, setActionState] = useState<Action | null>(null);
  // Controlled, so that choosing an action (which opens its dialog) surely closes the menu.
  const [menuOpen, setMenuOpen] = useState(false);
  const setAction = (next: Action) => {
    setMenuOpen(false);
    setActionState(next);
  };
  return (
    <>
      <Menu position="bottom-end" withinPortal opened={menuOpen} onChange={setMenuOpen}>
        <Menu.Target>
          <Button size="compact-xs" variant="default" aria-label={`Manage ${user.email}`}>
            Manage ▾
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => setAction('reset_link')}>Reset password: send a link…</Menu.Item>
          <Menu.Item onClick={() => setAction('reset_one_time_password')}>
            Reset password: one-time password…
          </Menu.Item>
          <Menu.Divider />
          {user.disabled_at ? (
            <Menu.Item onClick={() => setAction('enable')}>Enable…</Menu.Item>
          ) : (
            <Menu.Item onClick={() => setAction('disable')}>Disable…</Menu.Item>
          )}
          <Menu.Item color="red" onClick={() => setAction('remove')}>
            Remove…
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {action && (
        <ConfirmUserAction
          user={user}
          action={action}
          onIssued={onIssued}
          onClose={() => setActionState(null)}
        />
      )}
    </>
  );
}

function ConfirmUserAction(props: {
  user: OrgUser;
  action: Action;
  onIssued: (issued: Issued) => void;
  onClose: () => void;
}) {
  const { user, action, onClose } = props;
  const setDisabled = useSetUserDisabled();
  const remove = useRemoveUser();
  const reset = useResetPassword();
  const words = WORDS[action];
  const pending = setDisabled.isPending || remove.isPending || reset.isPending;
  const error = setDisabled.error ?? remove.error ?? reset.error;
  const done = { onSuccess: onClose };
  const confirm = () => {
    if (action === 'disable' || action === 'enable') {
      setDisabled.mutate({ userId: user.id, disabled: action === 'disable' }, done);
    } else if (action === 'remove') {
      remove.mutate(user.id, done);
    } else {
      const credential = action === 'reset_link' ? 'link' : 'one_time_password';
      reset.mutate(
        { userId: user.id, credential },
        {
          onSuccess: (issued) => {
            onClose();
            props.onIssued(issued);
          },
        },
      );
    }
  };
  return (
    <Modal opened onClose={onClose} title={`${words.title} ${user.email}?`}>
      <Stack gap="md">
        <Text size="sm">{words.body}</Text>
        {error && (
          <Alert color="red" variant="light" title="Not done">
            {describeError(error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={words.color} loading={pending} onClick={confirm}>
            {words.button}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
