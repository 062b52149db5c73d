import type { endpoints, ResponseOf, Role } from '@ebay-connector/contracts';
import { Alert, Button, Group, Modal, Radio, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { describeError } from '../../api/apiError.ts';
import { useCreateUser } from '../../api/users.ts';

type Credential = 'one_time_password' | 'link';

/** Email, role, and how they get in: a one-time password or an invite link (both shown once). */
export function AddUserModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (issued: ResponseOf<typeof endpoints.createUser>) => void;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [credential, setCredential] = useState<Credential>('link');
  const create = useCreateUser();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ email: email.trim(), role, credential }, { onSuccess: onCreated });
  };
  return (
    <Modal opened onClose={onClose} title="Add user">
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput
            label="Email"
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            data-autofocus
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Role
            </Text>
            <SegmentedControl
              aria-label="Role"
              value={role}
              onChange={(value) => setRole(value as Role)}
              data={[
                { value: 'viewer', label: 'Viewer (reads everything)' },
                { value: 'admin', label: 'Admin (also acts)' },
              ]}
            />
          </Stack>
          <Radio.Group
            label="How they sign in the first time"
            value={credential}
            onChange={(value) => setCredential(value as Credential)}
          >
            <Stack gap={6} mt={6}>
              <Radio value="link" label="An invite link: they choose their own password (valid 7 days)" />
              <Radio
                value="one_time_password"
                label="A one-time password: they must choose a new one when they first sign in"
              />
            </Stack>
          </Radio.Group>
          {create.error && (
            <Alert color="red" variant="light" title="Could not add the user">
              {describeError(create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!email.trim()} loading={create.isPending}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
