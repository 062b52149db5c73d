import type { endpoints, ResponseOf } from '@ebay-connector/contracts';
import { Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useApiKeys } from '../api/apiKeys.ts';
import { useIsAdmin } from '../api/auth.ts';
import { EmptyState, ErrorState, LoadingState } from '../components/QueryStates.tsx';
import { ApiKeyShownOnce } from '../features/apiKeys/ApiKeyShownOnce.tsx';
import { ApiKeysTable } from '../features/apiKeys/ApiKeysTable.tsx';
import { CreateApiKeyModal } from '../features/apiKeys/CreateApiKeyModal.tsx';

type Created = ResponseOf<typeof endpoints.createApiKey>;

/**
 * Admin → API keys: keys for the company's services that ask the connector for tokens
 * (`/api/v1`). Admins create (the key is shown once) and revoke; viewers see the list.
 */
export function ApiKeysPage() {
  const isAdmin = useIsAdmin();
  const keys = useApiKeys();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>API keys</Title>
        {isAdmin && <Button onClick={() => setCreating(true)}>Create API key</Button>}
      </Group>
      <Card withBorder padding="md" radius="md">
        {keys.isPending ? (
          <LoadingState label="Loading API keys…" />
        ) : keys.error ? (
          <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
        ) : keys.data.keys.length === 0 ? (
          <EmptyState title="No API keys yet">
            {isAdmin
              ? 'Create one for each service that needs eBay tokens from the connector.'
              : 'An admin of your org creates them.'}
          </EmptyState>
        ) : (
          <ApiKeysTable keys={keys.data.keys} canManage={isAdmin} />
        )}
        <Text size="xs" c="dimmed" mt="sm">
          A service sends its key as <Code>Authorization: Bearer ebc_…</Code> to <Code>/api/v1</Code>: scope{' '}
          <b>tokens</b> lists the accounts and gets their access tokens, <b>proxy</b> calls eBay's API through
          the connector. Keys do not sign in to this admin UI.
        </Text>
      </Card>
      {creating && (
        <CreateApiKeyModal
          onClose={() => setCreating(false)}
          onCreated={(next) => {
            setCreating(false);
            setCreated(next);
          }}
        />
      )}
      {created && <ApiKeyShownOnce created={created} onClose={() => setCreated(null)} />}
    </Stack>
  );
}
