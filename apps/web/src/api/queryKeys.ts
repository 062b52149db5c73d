import type { Environment } from '@ebay-connector/contracts';
import type { TerminalFilter } from './terminal.ts';

export interface TokenStatusParams {
  env?: Environment | undefined;
  ebay_account_id?: string | undefined;
  search?: string | undefined;
  state?: string | undefined;
  limit?: number;
  offset?: number;
}

/** Every cache key in one place, so invalidation stays in step with the hooks. */
export const queryKeys = {
  me: ['me'] as const,
  loops: ['loops'] as const,
  tokenStatusAll: ['token-status'] as const,
  tokenStatus: (params: TokenStatusParams) => ['token-status', params] as const,
  refreshLog: (accountId: string) => ['refresh-log', accountId] as const,
  tokenLogs: (env: Environment | undefined, accountId: string | null) =>
    ['token-logs', env ?? 'all', accountId ?? 'all'] as const,
  terminalAll: ['terminal'] as const,
  terminal: (filter: TerminalFilter) => ['terminal', filter] as const,
  accounts: ['accounts'] as const,
};
