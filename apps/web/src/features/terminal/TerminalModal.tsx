import { Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface TerminalModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** Buttons and filters in the header bar (Copy all, Download, …). */
  actions?: ReactNode;
  /** A second header row, e.g. the filter bar. */
  toolbar?: ReactNode;
  /** A status line under the screen. */
  footer?: ReactNode;
  children: ReactNode;
}

/**
 * The full-screen black window every terminal opens in. Escape closes it; focus is trapped
 * inside. The actions sit in the header next to the title, not inside it: the title alone
 * names the dialog for a screen reader.
 */
export function TerminalModal({
  opened,
  onClose,
  title,
  actions,
  toolbar,
  footer,
  children,
}: TerminalModalProps) {
  return (
    <Modal.Root
      opened={opened}
      onClose={onClose}
      fullScreen
      transitionProps={{ transition: 'fade', duration: 100 }}
      styles={{
        content: { background: 'black', display: 'flex', flexDirection: 'column' },
        header: { background: 'black', borderBottom: '1px solid var(--mantine-color-dark-4)', gap: 16 },
        close: { color: 'var(--mantine-color-gray-4)' },
        body: { flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', padding: 0 },
      }}
    >
      <Modal.Overlay />
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>
            <Text ff="monospace" fw={700} c="gray.1">
              {title}
            </Text>
          </Modal.Title>
          <Group gap="md" wrap="wrap" style={{ flex: 1 }}>
            {actions}
          </Group>
          <Modal.CloseButton aria-label={`Close ${title}`} />
        </Modal.Header>
        <Modal.Body>
          <Stack gap={0} h="100%" style={{ flex: 1, minHeight: 0 }}>
            {toolbar}
            {children}
            {footer}
          </Stack>
        </Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
