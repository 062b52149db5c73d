import { Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * The title row of a page card, with optional actions on the right. Put it inside a
 * `Card.Section` written in the card itself: Card only styles its direct Section children.
 */
export function CardHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Title order={4}>{title}</Title>
      {children}
    </Group>
  );
}
