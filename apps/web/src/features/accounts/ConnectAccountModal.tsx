import { type Environment, HOUSE_NAME_MAX_LENGTH } from '@ebay-connector/contracts';
import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useConnectStart } from '../../api/accounts.ts';
import { describeError } from '../../api/apiError.ts';

interface ConnectAccountModalProps {
  opened: boolean;
  onClose: () => void;
  /** Preset choices ("connect this seller as a new account" after a reconnect as someone else). */
  initialEnvironment?: Environment;
  intro?: string;
}

/** Environment + house name, then off to eBay's consent page; the callback brings the browser back. */
export function ConnectAccountModal({
  opened,
  onClose,
  initialEnvironment,
  intro,
}: ConnectAccountModalProps) {
  const [environment, setEnvironment] = useState<Environment>(initialEnvironment ?? 'production');
  const [houseName, setHouseName] = useState('');
  const connect = useConnectStart();
  const trimmed = houseName.trim();
  // No maxLength on the input: the browser would cut a pasted name without a word.
  const tooLong = trimmed.length > HOUSE_NAME_MAX_LENGTH;
  const canSubmit = trimmed.length > 0 && !tooLong;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (canSubmit) connect.mutate({ environment, house_name: trimmed });
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Connect eBay account">
      <form onSubmit={submit}>
        <Stack gap="md">
          {intro && <Text size="sm">{intro}</Text>}
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Environment
            </Text>
            <SegmentedControl
              aria-label="Environment"
              value={environment}
              onChange={(value) => setEnvironment(value as Environment)}
              data={[
                { value: 'sandbox', label: 'Sandbox' },
                { value: 'production', label: 'Production' },
              ]}
            />
          </Stack>
          <TextInput
            label="House name"
            description="Your name for this seller account, shown everywhere in the admin."
            required
            value={houseName}
            error={
              tooLong
                ? `At most ${HOUSE_NAME_MAX_LENGTH} characters: this one has ${trimmed.length}. Shorten it.`
                : undefined
            }
            onChange={(event) => setHouseName(event.currentTarget.value)}
            data-autofocus
          />
          {connect.error && (
            <Alert color="red" variant="light" title="Could not start the connection">
              {describeError(connect.error)}
            </Alert>
          )}
          <Text size="xs" c="dimmed">
            You will sign in at eBay and grant access; eBay then sends you back here.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!canSubmit} loading={connect.isPending || connect.isSuccess}>
              Continue to eBay
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
