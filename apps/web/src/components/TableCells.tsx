import { Group, Table, Text } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';

/**
 * The Actions column stays at the table's right edge while the other columns scroll under it,
 * so a row's buttons are in view at any width (issue 16: "Reconnect falls off the right edge").
 */
const stickyActions: CSSProperties = {
  position: 'sticky',
  right: 0,
  zIndex: 1,
  background: 'var(--mantine-color-body)',
  boxShadow: 'inset 1px 0 0 var(--mantine-color-default-border)',
};

export function ActionsTh({ children = 'Actions' }: { children?: ReactNode }) {
  return <Table.Th style={stickyActions}>{children}</Table.Th>;
}

/** A row's buttons, two to a line: the column stays narrow enough to leave the others room. */
export function ActionsTd({ children }: { children: ReactNode }) {
  return (
    <Table.Td style={stickyActions}>
      {/* As wide as its buttons up to two a line: the table may not squeeze it to one a line. */}
      <Group gap={6} w="max-content" maw={190}>
        {children}
      </Group>
    </Table.Td>
  );
}

/** A house name (up to 100 characters) in at most two lines; the whole name on hover. */
export function HouseNameText({ name, children }: { name: string; children?: ReactNode }) {
  return (
    <Text
      size="sm"
      fw={500}
      lineClamp={2}
      title={name}
      miw={120}
      maw={240}
      style={{ overflowWrap: 'anywhere' }}
    >
      {children ?? name}
    </Text>
  );
}
