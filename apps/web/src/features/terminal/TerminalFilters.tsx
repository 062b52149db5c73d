import type { Source } from '@ebay-connector/contracts';
import { Chip, Group, Select, Switch, Text } from '@mantine/core';
import type { TerminalFilter } from '../../api/terminal.ts';
import type { AccountOption } from '../accounts/useAccountOptions.ts';
import { sourceOptionsFor } from './sourceOptions.ts';

interface TerminalFiltersProps {
  filter: TerminalFilter;
  onChange: (filter: TerminalFilter) => void;
  accountOptions: AccountOption[];
}

/** Source chips, account picker and "Errors only": all three narrow the terminal on the server and here. */
export function TerminalFilters({ filter, onChange, accountOptions }: TerminalFiltersProps) {
  return (
    <Group gap="lg" px="md" py="xs" bg="dark.8" wrap="wrap">
      <Group gap="xs" role="group" aria-label="Source filter">
        <Text size="sm" c="gray.4" ff="monospace">
          source
        </Text>
        <Chip.Group
          multiple
          value={filter.sources}
          onChange={(values) => onChange({ ...filter, sources: values as Source[] })}
        >
          {sourceOptionsFor(filter.kind).map((option) => (
            <Chip key={option.value} value={option.value} color={option.color} size="xs" variant="filled">
              {option.value}
            </Chip>
          ))}
        </Chip.Group>
      </Group>
      <Select
        aria-label="Account filter"
        placeholder="All accounts"
        size="xs"
        w={280}
        searchable
        clearable
        limit={100}
        nothingFoundMessage="No matching account"
        data={accountOptions}
        value={filter.accountId}
        onChange={(value) => onChange({ ...filter, accountId: value })}
      />
      <Switch
        label="Errors only"
        size="sm"
        color="red"
        styles={{ label: { color: 'var(--mantine-color-gray-3)' } }}
        checked={filter.errorsOnly}
        onChange={(event) => onChange({ ...filter, errorsOnly: event.currentTarget.checked })}
      />
    </Group>
  );
}
