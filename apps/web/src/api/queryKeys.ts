import type { Environment, endpoints, QueryOf } from '@ebay-connector/contracts';
import type { TerminalFilter } from './terminal.ts';

/** Every cache key in one place, so invalidation stays in step with the hooks. */
export const queryKeys = {
  me: ['me'] as const,
  loops: ['loops'] as const,
  tokenStatusAll: ['token-status'] as const,
  tokenStatus: (query: QueryOf<typeof endpoints.tokenStatus>) => ['token-status', query] as const,
  refreshLog: (accountId: string) => ['refresh-log', accountId] as const,
  tokenLogs: (env: Environment | undefined, accountId: string | null) =>
    ['token-logs', env ?? 'all', accountId ?? 'all'] as const,
  terminalAll: ['terminal'] as const,
  terminal: (filter: TerminalFilter) => ['terminal', filter] as const,
  accounts: ['accounts'] as const,
  // Account page and Admin → Users (issue 16).
  accountDetail: (accountId: string) => ['account', accountId] as const,
  tokenInfo: (accountId: string) => ['token-info', accountId] as const,
  accountActivity: (accountId: string) => ['account-activity', accountId] as const,
  users: ['users'] as const,
  // Admin → API keys (issue 11).
  apiKeys: ['api-keys'] as const,
};
