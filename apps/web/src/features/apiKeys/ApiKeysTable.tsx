import type { ApiKey } from '@ebay-connector/contracts';
import { Alert, Badge, Button, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { describeError } from '../../api/apiError.ts';
import { useRevokeApiKey } from '../../api/apiKeys.ts';
import { RelativeTime } from '../../components/RelativeTime.tsx';
import { formatDateTime } from '../../lib/time.ts';

/** The org's keys (never the keys themselves); admins revoke from here, viewers only read. */
export function ApiKeysTable({ keys, canManage }: { keys: readonly ApiKey[]; canManage: boolean }) {
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  return (
    <ScrollArea type="auto">
      <Table striped verticalSpacing={6} miw={680} aria-label="API keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Scopes</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>State</Table.Th>
            {canManage && <Table.Th>Actions</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => (
            <Table.Tr key={key.id}>
              <Table.Td>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {key.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {key.scopes.map((scope) => (
                    <Badge key={scope} size="sm" variant="light">
                      {scope}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <RelativeTime value={key.created_at} size="sm" />
              </Table.Td>
              <Table.Td>
                <RelativeTime value={key.last_used_at} size="sm" />
              </Table.Td>
              <Table.Td>
                {key.revoked_at ? (
                  <Badge color="gray" variant="filled" title={formatDateTime(key.revoked_at)}>
                    revoked
                  </Badge>
                ) : (
                  <Badge color="green" variant="light">
                    active
                  </Badge>
                )}
              </Table.Td>
              {canManage && (
                <Table.Td>
                  {!key.revoked_at && (
                    <Button
                      size="compact-xs"
                      variant="default"
                      color="red"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => setRevoking(key)}
                    >
                      Revoke…
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {revoking && <ConfirmRevoke apiKey={revoking} onClose={() => setRevoking(null)} />}
    </ScrollArea>
  );
}

function ConfirmRevoke({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const revoke = useRevokeApiKey();
  return (
    <Modal opened onClose={onClose} title={`Revoke ${apiKey.name}?`}>
      <Stack gap="md">
        <Text size="sm">
          Services using this key get 401 at once, on every replica. A revoked key cannot be used again;
          create a new one for the service instead.
        </Text>
        {revoke.error && (
          <Alert color="red" variant="light" title="Not revoked">
            {describeError(revoke.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={revoke.isPending}
            onClick={() => revoke.mutate(apiKey.id, { onSuccess: onClose })}
          >
            Revoke key
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
