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

/** The full-screen black window every terminal opens in. Escape closes it; focus is trapped inside. */
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
    <Modal
      opened={opened}
      onClose={onClose}
      fullScreen
      title={
        <Group gap="md" wrap="wrap">
          <Text ff="monospace" fw={700} c="gray.1">
            {title}
          </Text>
          {actions}
        </Group>
      }
      closeButtonProps={{ 'aria-label': `Close ${title}` }}
      transitionProps={{ transition: 'fade', duration: 100 }}
      styles={{
        content: { background: 'black', display: 'flex', flexDirection: 'column' },
        header: { background: 'black', borderBottom: '1px solid var(--mantine-color-dark-4)' },
        title: { flex: 1 },
        close: { color: 'var(--mantine-color-gray-4)' },
        body: { flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column', padding: 0 },
      }}
    >
      <Stack gap={0} h="100%" style={{ flex: 1, minHeight: 0 }}>
        {toolbar}
        {children}
        {footer}
      </Stack>
    </Modal>
  );
}
