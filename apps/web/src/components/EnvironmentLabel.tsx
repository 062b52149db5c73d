import type { Environment } from '@ebay-connector/contracts';
import { Text } from '@mantine/core';

/** "production" stands out, "sandbox" stays quiet: the one most worth noticing is the real one. */
export function EnvironmentLabel({ environment }: { environment: Environment }) {
  return (
    <Text size="sm" fw={500} c={environment === 'production' ? 'indigo' : 'dimmed'}>
      {environment}
    </Text>
  );
}
