import type { AccountTokenStatus } from '@ebay-connector/contracts';
import {
  ACCOUNT_ID,
  BROKEN_ACCOUNT_ID,
  buildAccount,
  buildDebugResult,
  buildLogEntry,
  buildLoop,
  buildMe,
  buildTokenStatus,
} from './fixtures.ts';
import { mockApi } from './mockApi.ts';

export const healthyRow = buildTokenStatus();
export const brokenRow = buildTokenStatus({
  ebay_account_id: BROKEN_ACCOUNT_ID,
  house_name: 'Broken Store',
  ebay_user_id: 'u-broken',
  ebay_username: 'broken_seller',
  status: 'needs_reconnect',
  state: 'needs_reconnect',
  last_refresh_success: false,
  last_error_code: 'invalid_grant',
  last_error_message: 'the refresh token was revoked',
  consecutive_failures: 3,
});

/** The API as the Workers page sees it: one healthy and one broken account. */
export function mockWorkersApi(options: { role?: 'admin' | 'viewer'; rows?: AccountTokenStatus[] } = {}) {
  const rows = options.rows ?? [healthyRow, brokenRow];
  return mockApi({
    'GET /api/auth/me': () => buildMe(options.role ?? 'admin'),
    'GET /api/admin/ebay/workers/loop-status': () => ({
      loops: [buildLoop(), buildLoop({ name: 'ebay_workers_loop', stale: true })],
    }),
    'GET /api/admin/ebay/tokens/status': ({ query }) => {
      const search = query.get('search')?.toLowerCase();
      const accountId = query.get('ebay_account_id');
      const shown = rows.filter(
        (row) =>
          (!search || row.house_name.toLowerCase().includes(search)) &&
          (!accountId || row.ebay_account_id === accountId),
      );
      return {
        accounts: shown.slice(0, Number(query.get('limit') ?? 100)),
        total: shown.length,
        counts: { healthy: 1, needs_reconnect: 1 },
        failing_by_code: {},
        needs_reconnect_by_code: { invalid_grant: 1 },
        counts_as_of: '2025-12-01T12:00:03.000Z',
      };
    },
    'GET /api/admin/ebay/accounts': () => ({
      accounts: [
        buildAccount(),
        buildAccount({ id: BROKEN_ACCOUNT_ID, house_name: 'Broken Store', status: 'needs_reconnect' }),
      ],
    }),
    'POST /api/admin/ebay/token/refresh-debug': () => buildDebugResult(),
    'GET /api/admin/ebay/tokens/doctor': () => ({
      checked_at: '2025-12-01T12:00:00.000Z',
      current_key_id: 'k1',
      key_ids: ['k1'],
      key_ring: { source: 'file', location: './data/token-encryption-keys' },
      total: rows.length,
      healthy: rows.length,
      with_problems: 0,
      by_cause: {},
      by_repair: {},
      accounts: [],
      truncated: false,
    }),
    'GET /api/admin/ebay/tokens/logs': () => ({ logs: [buildLogEntry({ id: 7 })], next_before_id: null }),
    'GET /api/admin/ebay/tokens/terminal-logs': () => ({
      entries: [buildLogEntry({ id: 8 })],
      next_before_id: null,
    }),
    [`GET /api/admin/ebay/accounts/${ACCOUNT_ID}/refresh-log`]: () => ({
      logs: [
        {
          id: 1,
          started_at: '2025-12-01T12:00:00.000Z',
          finished_at: '2025-12-01T12:00:00.300Z',
          success: false,
          error_code: 'invalid_grant',
          error_message: 'the refresh token was revoked',
          triggered_by: 'scheduled',
          old_access_expires_at: null,
          new_access_expires_at: null,
          duration_ms: 300,
          connect_log_id: 7,
        },
      ],
    }),
  });
}
