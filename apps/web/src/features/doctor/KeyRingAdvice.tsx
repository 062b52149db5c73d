import type { KeyRingSource } from '@ebay-connector/contracts';
import { Code, Text } from '@mantine/core';

/** Where a missing key goes back: the key file in embedded mode, TOKEN_ENCRYPTION_KEYS in production. */
export function KeyRingAdvice({ keyRing, keyIds }: { keyRing: KeyRingSource; keyIds: readonly string[] }) {
  const keys = keyIds.map((id) => `"${id}"`).join(', ');
  return keyRing.source === 'file' ? (
    <Text size="sm">
      Add {keyIds.length === 1 ? 'key' : 'keys'} {keys} back to the key file <Code>{keyRing.location}</Code>{' '}
      (embedded mode: one <Code>kid:base64key</Code> per ring entry, comma-separated, the current key first),
      then restart. The tokens decrypt again; nothing needs repairing.
    </Text>
  ) : (
    <Text size="sm">
      Add {keyIds.length === 1 ? 'key' : 'keys'} {keys} back to <Code>{keyRing.location}</Code> (after the
      current key: <Code>current:…,{keyIds[0] ?? 'old'}:…</Code>) on every replica, then restart them. The
      tokens decrypt again; nothing needs repairing.
    </Text>
  );
}
