import {
  type Action,
  errorCodeSchema,
  type RefreshErrorCode,
  SEARCH_MAX_CHARS,
  SEARCH_MIN_CHARS,
  type Source,
} from '@ebay-connector/contracts';
import {
  Button,
  Chip,
  Group,
  MultiSelect,
  SegmentedControl,
  Select,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { TerminalFilter } from '../../api/terminal.ts';
import { formatDateTime, formatHourMinute } from '../../lib/time.ts';
import type { AccountOption } from '../accounts/useAccountOptions.ts';
import { actionOptionsFor, sourceOptionsFor } from './sourceOptions.ts';
import { sinceWindowOf, TIME_RANGE_OPTIONS } from './timeRanges.ts';

const SEARCH_DEBOUNCE_MS = 300;

/**
 * The search box: searches the whole history on the server, 300 ms after the last key, once
 * it holds 3 characters (or is emptied).
 */
function SearchBox({ value, onSearch }: { value: string; onSearch: (search: string) => void }) {
  const [input, setInput] = useState(value);
  const [debounced] = useDebouncedValue(input.trim(), SEARCH_DEBOUNCE_MS);
  const tooShort = debounced.length > 0 && debounced.length < SEARCH_MIN_CHARS;
  useEffect(() => {
    if (!tooShort && debounced !== value) onSearch(debounced);
  }, [debounced, tooShort, value, onSearch]);
  return (
    <TextInput
      aria-label="Search the log"
      placeholder="Search all history: house, seller, action, error"
      size="xs"
      w={300}
      maxLength={SEARCH_MAX_CHARS}
      value={input}
      onChange={(event) => setInput(event.currentTarget.value)}
      error={tooShort ? `at least ${SEARCH_MIN_CHARS} characters` : undefined}
    />
  );
}

interface TerminalFiltersProps {
  filter: TerminalFilter;
  onChange: (filter: TerminalFilter) => void;
  accountOptions: AccountOption[];
}

/**
 * Search, source chips, account picker, error code and action pickers, "Errors only", the time
 * range and the chip of the cycle a marker click chose:
 * all narrow the terminal on the server (and here, for what is already loaded).
 */
export function TerminalFilters({ filter, onChange, accountOptions }: TerminalFiltersProps) {
  return (
    <Group gap="lg" px="md" py="xs" bg="dark.8" wrap="wrap">
      <SearchBox value={filter.search} onSearch={(search) => onChange({ ...filter, search })} />
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
      <MultiSelect
        aria-label="Error code filter"
        placeholder={filter.errorCodes.length ? undefined : 'Any error code'}
        size="xs"
        w={220}
        clearable
        data={errorCodeSchema.options}
        value={filter.errorCodes}
        onChange={(values) => onChange({ ...filter, errorCodes: values as RefreshErrorCode[] })}
      />
      <MultiSelect
        aria-label="Action filter"
        placeholder={filter.actions.length ? undefined : 'Any action'}
        size="xs"
        w={240}
        clearable
        data={actionOptionsFor(filter.kind)}
        value={filter.actions}
        onChange={(values) => onChange({ ...filter, actions: values as Action[] })}
      />
      <Group gap="xs" role="group" aria-label="Time range">
        <Text size="sm" c="gray.4" ff="monospace">
          time
        </Text>
        <SegmentedControl
          size="xs"
          data={[...TIME_RANGE_OPTIONS]}
          value={filter.since?.range ?? 'all'}
          // A new range replaces a chosen cycle: both are a time window, the newer choice wins.
          onChange={(value) => onChange({ ...filter, since: sinceWindowOf(value), cycle: null })}
        />
      </Group>
      <Switch
        label="Errors only"
        size="sm"
        color="red"
        styles={{ label: { color: 'var(--mantine-color-gray-3)' } }}
        checked={filter.errorsOnly}
        onChange={(event) => onChange({ ...filter, errorsOnly: event.currentTarget.checked })}
      />
      {filter.cycle && (
        <Button
          size="compact-xs"
          variant="light"
          color="teal"
          rightSection="✕"
          aria-label={`cycle ${formatHourMinute(filter.cycle.startedAt)}: show all entries again`}
          title={`Entries of the cycle started ${formatDateTime(filter.cycle.startedAt)}; click to clear`}
          onClick={() => onChange({ ...filter, cycle: null })}
        >
          cycle {formatHourMinute(filter.cycle.startedAt)}
        </Button>
      )}
    </Group>
  );
}
