import { Alert } from '@mantine/core';
import { useServerDownSince } from '../app/ConnectivityProvider.tsx';
import { formatClockTime } from '../lib/time.ts';

/** Says the server is gone (and since when) while the page keeps showing what it last had. */
export function ServerUnreachableBanner() {
  const downSince = useServerDownSince();
  if (!downSince) return null;
  return (
    <Alert
      role="alert"
      color="orange"
      variant="filled"
      mb="md"
      title={`Cannot reach the server since ${formatClockTime(downSince)}, retrying`}
      // Stays in view under the header while the page is scrolled.
      style={{ position: 'sticky', top: 'calc(var(--app-shell-header-offset, 56px) + 8px)', zIndex: 20 }}
    >
      The page shows the last data it had and updates by itself when the server answers again.
    </Alert>
  );
}
