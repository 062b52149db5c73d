/**
 * Every API route, with a valid request for an account id, for the 401, isolation and
 * bad-input tests. `accountScoped` routes answer 404 for an id outside the caller's org.
 */
export interface RouteCase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  url: (accountId: string) => string;
  body?: (accountId: string) => unknown;
  accountScoped: boolean;
}

const A = '/api/admin/ebay';

export const API_ROUTES: readonly RouteCase[] = [
  { name: 'me', method: 'GET', url: () => '/api/auth/me', accountScoped: false },
  { name: 'logout', method: 'POST', url: () => '/api/auth/logout', accountScoped: false },
  { name: 'loop-status', method: 'GET', url: () => `${A}/workers/loop-status`, accountScoped: false },
  { name: 'accounts', method: 'GET', url: () => `${A}/accounts`, accountScoped: false },
  {
    name: 'tokens/status',
    method: 'GET',
    url: (id) => `${A}/tokens/status?ebay_account_id=${id}`,
    accountScoped: true,
  },
  {
    name: 'tokens/logs',
    method: 'GET',
    url: (id) => `${A}/tokens/logs?ebay_account_id=${id}`,
    accountScoped: true,
  },
  {
    name: 'terminal-logs',
    method: 'GET',
    url: (id) => `${A}/tokens/terminal-logs?ebay_account_id=${id}`,
    accountScoped: true,
  },
  {
    name: 'terminal-stream',
    method: 'GET',
    url: (id) => `${A}/tokens/terminal-stream?ebay_account_id=${id}`,
    accountScoped: true,
  },
  {
    name: 'refresh-debug',
    method: 'POST',
    url: () => `${A}/token/refresh-debug`,
    body: (id) => ({ ebay_account_id: id }),
    accountScoped: true,
  },
  { name: 'tokens/doctor', method: 'GET', url: () => `${A}/tokens/doctor`, accountScoped: false },
  {
    name: 'tokens/repair',
    method: 'POST',
    url: () => `${A}/tokens/repair`,
    body: () => ({ apply: false }),
    accountScoped: false,
  },
  { name: 'refresh-log', method: 'GET', url: (id) => `${A}/accounts/${id}/refresh-log`, accountScoped: true },
  { name: 'token-info', method: 'POST', url: (id) => `${A}/accounts/${id}/token-info`, accountScoped: true },
  { name: 'manual refresh', method: 'POST', url: (id) => `${A}/accounts/${id}/refresh`, accountScoped: true },
  {
    name: 'refresh policy',
    method: 'PATCH',
    url: (id) => `${A}/accounts/${id}`,
    body: () => ({ refresh_policy: 'on_demand' }),
    accountScoped: true,
  },
  {
    name: 'connect/start',
    method: 'POST',
    url: () => `${A}/connect/start`,
    body: () => ({ environment: 'production', house_name: 'Shop' }),
    accountScoped: false,
  },
  { name: 'api-keys', method: 'GET', url: () => '/api/admin/api-keys', accountScoped: false },
  {
    name: 'api-keys create',
    method: 'POST',
    url: () => '/api/admin/api-keys',
    body: () => ({ name: 'sync', scopes: ['tokens'] }),
    accountScoped: false,
  },
];
