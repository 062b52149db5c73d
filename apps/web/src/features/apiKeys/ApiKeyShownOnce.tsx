import type { endpoints, ResponseOf } from '@ebay-connector/contracts';
import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { CopyAllButton } from '../../components/CopyAllButton.tsx';

/**
 * The new key, shown once: the server keeps only its hash, so closing this dialog is the last
 * chance to copy it. Nothing else holds it (the page keeps it in state only while this is open).
 */
export function ApiKeyShownOnce({
  created,
  onClose,
}: {
  created: ResponseOf<typeof endpoints.createApiKey>;
  onClose: () => void;
}) {
  return (
    <Modal opened onClose={onClose} title={`API key "${created.name}" created`} size="lg">
      <Stack gap="sm">
        <Text size="sm">
          Scopes: <b>{created.scopes.join(', ')}</b>. The service sends it as{' '}
          <Code>Authorization: Bearer ebc_…</Code> on every <Code>/api/v1</Code> call.
        </Text>
        <Code block data-testid="issued-api-key" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
          {created.key}
        </Code>
        <Alert color="yellow" variant="light" title="Copy it now: you will not see it again">
          Only a hash of the key is stored, so it cannot be shown again. Put it in the service's secret store;
          if it is lost, revoke this key and create a new one.
        </Alert>
        <Group justify="flex-end">
          <CopyAllButton getText={() => created.key} label="Copy key" />
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
