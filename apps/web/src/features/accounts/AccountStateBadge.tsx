import type { AccountStatus, TokenState } from '@ebay-connector/contracts';
import { Badge } from '@mantine/core';
import { TokenStateBadge } from '../workers/TokenStateBadge.tsx';

export const statusColor = {
  active: 'green',
  needs_reconnect: 'red',
  disabled: 'gray',
  removed: 'dark',
  deleted: 'dark',
} as const;

/** The status badge's words: `deleted` is eBay's Marketplace Account Deletion notification. */
export function statusLabel(status: keyof typeof statusColor): string {
  return status === 'deleted' ? "Deleted at eBay's request" : status.replace('_', ' ');
}

/**
 * One badge per account, the same on every page: the token state the server derives for the
 * Workers table (tokens/sql/tokenState.ts), so the Accounts list never says "active" where
 * Workers says "failing". An account that has left (removed, deleted at eBay's request) has no
 * token state worth showing, only its status.
 */
export function AccountStateBadge({
  status,
  state,
}: {
  status: AccountStatus;
  state: TokenState | undefined;
}) {
  if (status === 'removed' || status === 'deleted' || state === undefined) {
    return (
      <Badge color={statusColor[status]} variant="light">
        {statusLabel(status)}
      </Badge>
    );
  }
  // The server's rule puts these statuses first; kept here so a row changed in place agrees too.
  const shown: TokenState = status === 'disabled' || status === 'needs_reconnect' ? status : state;
  return <TokenStateBadge state={shown} />;
}
