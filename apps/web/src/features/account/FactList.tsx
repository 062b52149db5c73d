import { Card, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A card of labelled facts (the account page's sections). */
export function FactCard({
  title,
  children,
  note,
}: {
  title: string;
  children: ReactNode;
  note?: ReactNode;
}) {
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-label={title}>
      <Stack gap="xs">
        <Title order={4}>{title}</Title>
        <Table withRowBorders={false} verticalSpacing={3} layout="fixed">
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
        {note && (
          <Text size="xs" c="dimmed">
            {note}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w="40%" fw={500} c="dimmed" style={{ verticalAlign: 'top' }}>
        <Text size="sm" inherit>
          {label}
        </Text>
      </Table.Th>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>{children}</Table.Td>
    </Table.Tr>
  );
}
