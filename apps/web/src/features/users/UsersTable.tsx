import type { endpoints, OrgUser, ResponseOf, Role } from '@ebay-connector/contracts';
import { Badge, Group, NativeSelect, ScrollArea, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { describeError } from '../../api/apiError.ts';
import { useChangeRole } from '../../api/users.ts';
import { RelativeTime } from '../../components/RelativeTime.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { UserActions } from './UserActions.tsx';

type Issued = ResponseOf<typeof endpoints.resetUserPassword>;

function UserState({ user }: { user: OrgUser }) {
  if (user.disabled_at) {
    return (
      <Badge color="gray" variant="filled" title={formatDateTime(user.disabled_at)}>
        disabled
      </Badge>
    );
  }
  if (user.pending_link) {
    return (
      <Text size="xs" c="orange">
        {user.pending_link.purpose === 'invite' ? 'invited' : 'reset link sent'}, until{' '}
        {formatDateTime(user.pending_link.expires_at)}
      </Text>
    );
  }
  if (user.password_change_required) {
    return (
      <Text size="xs" c="orange">
        one-time password: must choose a new one
      </Text>
    );
  }
  return (
    <Badge color="green" variant="light">
      active
    </Badge>
  );
}

/** The org's users; an admin changes roles here and manages each user from its menu (not their own). */
export function UsersTable({
  users,
  myId,
  onIssued,
}: {
  users: readonly OrgUser[];
  myId: string;
  onIssued: (issued: Issued) => void;
}) {
  const changeRole = useChangeRole();
  return (
    <ScrollArea type="auto">
      <Table striped verticalSpacing={6} miw={680} aria-label="Users">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Added</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => {
            const me = user.id === myId;
            return (
              <Table.Tr key={user.id}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {user.email}
                    </Text>
                    {me && (
                      <Badge size="xs" variant="outline">
                        you
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <NativeSelect
                    size="xs"
                    w={110}
                    aria-label={`Role of ${user.email}`}
                    data={['admin', 'viewer']}
                    value={user.role}
                    disabled={me}
                    title={me ? 'Another admin can change your role' : undefined}
                    onChange={(event) =>
                      event.currentTarget.value !== user.role &&
                      changeRole.mutate(
                        { userId: user.id, role: event.currentTarget.value as Role },
                        {
                          onError: (error) =>
                            notifications.show({
                              color: 'red',
                              title: 'Role not changed',
                              message: describeError(error),
                            }),
                        },
                      )
                    }
                  />
                </Table.Td>
                <Table.Td>
                  <UserState user={user} />
                </Table.Td>
                <Table.Td>
                  <RelativeTime value={user.created_at} size="sm" />
                </Table.Td>
                <Table.Td>{!me && <UserActions user={user} onIssued={onIssued} />}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
