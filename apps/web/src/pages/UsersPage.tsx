import type { endpoints, ResponseOf } from '@ebay-connector/contracts';
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useIsAdmin, useMe } from '../api/auth.ts';
import { useUsers } from '../api/users.ts';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates.tsx';
import { AddUserModal } from '../features/users/AddUserModal.tsx';
import { CredentialShownOnce } from '../features/users/CredentialShownOnce.tsx';
import { UsersTable } from '../features/users/UsersTable.tsx';

type Issued = ResponseOf<typeof endpoints.createUser>;

/**
 * Admin → Users: add users (role, and an invite link or a one-time password), change roles,
 * disable, reset passwords, remove. The org always keeps an active admin; viewers see nothing here.
 */
export function UsersPage() {
  const isAdmin = useIsAdmin();
  const me = useMe();
  const users = useUsers();
  const [adding, setAdding] = useState(false);
  const [issued, setIssued] = useState<{ issued: Issued; title: string } | null>(null);

  if (!isAdmin) {
    return (
      <Stack gap="md">
        <Title order={2}>Users</Title>
        <EmptyState title="Only admins manage users">
          Ask an admin of your org to add or change users.
        </EmptyState>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Button onClick={() => setAdding(true)}>Add user</Button>
      </Group>
      <Card withBorder padding="md" radius="md">
        {users.isPending ? (
          <LoadingState label="Loading users…" />
        ) : users.error ? (
          <ErrorState error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <UsersTable
            users={users.data.users}
            myId={me.data?.user.id ?? ''}
            onIssued={(next) => setIssued({ issued: next, title: `New credential for ${next.user.email}` })}
          />
        )}
        <Text size="xs" c="dimmed" mt="sm">
          Viewers read everything in the org; admins also refresh, repair, connect and manage users. The org
          always keeps at least one active admin, and nobody can demote, disable or remove themselves.
        </Text>
      </Card>
      {adding && (
        <AddUserModal
          onClose={() => setAdding(false)}
          onCreated={(next) => {
            setAdding(false);
            setIssued({ issued: next, title: `${next.user.email} added` });
          }}
        />
      )}
      {issued && (
        <CredentialShownOnce issued={issued.issued} title={issued.title} onClose={() => setIssued(null)} />
      )}
    </Stack>
  );
}
