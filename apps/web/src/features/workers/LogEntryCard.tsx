import {
  actionNeeded,
  type HttpRequestView,
  type HttpResponseView,
  type LogEntry,
} from '@ebay-connector/contracts';
import { Badge, Code, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { formatDateTime, formatDuration } from '../../lib/time.ts';

/** A JSON body is shown as JSON (not as an escaped string); anything else as it was sent. */
function withReadableBody<T extends HttpRequestView | HttpResponseView>(http: T | null) {
  if (!http) return null;
  try {
    return { ...http, body: JSON.parse(http.body) as unknown };
  } catch {
    return http;
  }
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <Stack gap={4} miw={0}>
      <Text size="xs" fw={600} c="dimmed">
        {label}
      </Text>
      <Code
        block
        fz="xs"
        style={{ maxHeight: 360, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
      >
        {value === null ? 'null' : JSON.stringify(value, null, 2)}
      </Code>
    </Stack>
  );
}

/** One entry of the JSON log viewer: action, environment, time and error, then request and response. */
export function LogEntryCard({ entry }: { entry: LogEntry }) {
  return (
    <Paper withBorder p="sm" radius="sm">
      <Group gap="xs" mb="xs">
        <Badge variant="light" color={entry.error ? 'red' : 'blue'} tt="none">
          {entry.action}
        </Badge>
        <Badge variant="outline" color="gray" tt="none">
          source={entry.source}
        </Badge>
        {entry.environment && (
          <Badge variant="outline" color="indigo" tt="none">
            {entry.environment}
          </Badge>
        )}
        <Text size="sm">{formatDateTime(entry.created_at)}</Text>
        {entry.house_name && (
          <Text size="sm" fw={500}>
            {entry.house_name}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {formatDuration(entry.duration_ms)}
        </Text>
      </Group>
      {entry.error && (
        <Text size="sm" c="red" ff="monospace" mb="xs">
          {entry.error.code}: {entry.error.message}
          {entry.error.diagnosis ? ` (diagnosis: ${entry.error.diagnosis})` : ''}
          {actionNeeded(entry.error.code) ? `; ${actionNeeded(entry.error.code)}` : ''}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
        <JsonBlock label="request" value={withReadableBody(entry.request)} />
        <JsonBlock label="response" value={withReadableBody(entry.response)} />
      </SimpleGrid>
    </Paper>
  );
}
