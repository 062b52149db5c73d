import type { endpoints, ResponseOf } from '@ebay-connector/contracts';
import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { CopyAllButton } from '../../components/CopyAllButton.tsx';
import { formatDateTime } from '../../lib/time.ts';

type IssuedCredential = ResponseOf<typeof endpoints.createUser>;

/**
 * The one-time password or the link, shown once: the server keeps only a hash, so closing this
 * dialog is the last chance to copy it. The admin passes it on by a channel of their choice.
 */
export function CredentialShownOnce({
  issued,
  title,
  onClose,
}: {
  issued: IssuedCredential;
  title: string;
  onClose: () => void;
}) {
  const secret = issued.one_time_password ?? issued.link?.url ?? '';
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <Stack gap="sm">
        {issued.one_time_password ? (
          <Text size="sm">
            One-time password for <b>{issued.user.email}</b>. They sign in with it once and must then choose
            their own password; until then they can do nothing else.
          </Text>
        ) : (
          <Text size="sm">
            Link for <b>{issued.user.email}</b>: opening it lets them choose a password and signs them in. It
            works once, until {formatDateTime(issued.link?.expires_at)}.
          </Text>
        )}
        <Code
          block
          data-testid="issued-credential"
          style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
        >
          {secret}
        </Code>
        <Alert color="yellow" variant="light">
          Shown only now: it is stored as a hash and cannot be shown again. Send it by a channel you trust.
        </Alert>
        <Group justify="flex-end">
          <CopyAllButton getText={() => secret} />
          <Button onClick={onClose}>Done</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
