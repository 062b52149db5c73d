import type { ApiKeyScope, endpoints, ResponseOf } from '@ebay-connector/contracts';
import { Alert, Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { describeError } from '../../api/apiError.ts';
import { useCreateApiKey } from '../../api/apiKeys.ts';

/** Name and scopes of a new key; the answer (with the key itself) goes to `onCreated`. */
export function CreateApiKeyModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (created: ResponseOf<typeof endpoints.createApiKey>) => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['tokens']);
  const create = useCreateApiKey();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), scopes }, { onSuccess: onCreated });
  };
  return (
    <Modal opened onClose={onClose} title="Create API key">
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput
            label="Name"
            description="Which service uses it, e.g. order sync"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <Checkbox.Group
            label="Scopes"
            value={scopes}
            onChange={(value) => setScopes(value as ApiKeyScope[])}
          >
            <Stack gap={6} mt={6}>
              <Checkbox value="tokens" label="tokens: list accounts and get their access tokens" />
              <Checkbox value="proxy" label="proxy: call eBay's API through the connector" />
            </Stack>
          </Checkbox.Group>
          {create.error && (
            <Alert color="red" variant="light" title="Could not create the key">
              {describeError(create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!name.trim() || scopes.length === 0} loading={create.isPending}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
