import type {
  AccountListItem,
  AccountTokenStatus,
  CycleSummary,
  LogEntry,
  LoopStatus,
  Me,
  RefreshDebugResult,
} from '@ebay-connector/contracts';

export const MASKED_REFRESH = 'v^1.1#i^…Ul4x';
export const MASKED_ACCESS = 'v^1.1#i^…9xQz';

export const ACCOUNT_ID = '11111111-1111-4111-8111-111111111111';
export const BROKEN_ACCOUNT_ID = '22222222-2222-4222-8222-222222222222';

export const buildMe = (role: 'admin' | 'viewer' = 'admin'): Me => ({
  user: { id: 'u1', email: 'admin@example.com', role },
  org: { id: 'o1', name: 'Demo org' },
});

let nextId = 1000;

export function buildLogEntry(overrides: Partial<LogEntry> = {}): LogEntry {
  return {
    id: nextId++,
    created_at: '2025-12-01T12:00:03.000Z',
    action: 'token_refreshed',
    source: 'scheduled',
    environment: 'sandbox',
    ebay_account_id: ACCOUNT_ID,
    house_name: 'Main Store',
    request: {
      method: 'POST',
      url: 'https://api.sandbox.ebay.com/identity/v1/oauth2/token',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: 'Basic SBX-client-id:****',
      },
      body: `grant_type=refresh_token&refresh_token=${MASKED_REFRESH}&scope=https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope`,
    },
    response: {
      status_code: 200,
      reason: 'OK',
      headers: { 'content-type': 'application/json', rlogid: 't6abc123' },
      body: JSON.stringify({
        access_token: MASKED_ACCESS,
        expires_in: 7200,
        token_type: 'User Access Token',
      }),
    },
    summary: null,
    error: null,
    duration_ms: 312,
    ...overrides,
  };
}

export function buildCycleSummary(overrides: Partial<CycleSummary> = {}): CycleSummary {
  return {
    cycle_id: 'c1',
    started_at: '2025-12-01T12:00:00.000Z',
    finished_at: '2025-12-01T12:00:00.400Z',
    duration_ms: 400,
    checked: 5,
    due: 0,
    refreshed: 0,
    failed: 0,
    failed_by_code: {},
    skipped: 0,
    circuit_open: false,
    quota: { calls_24h: 12, projected_daily: 60, limit: 50_000, warning: false },
    ...overrides,
  };
}

export function buildCycleEntry(
  summary: Partial<CycleSummary> = {},
  overrides: Partial<LogEntry> = {},
): LogEntry {
  return buildLogEntry({
    action: 'token_refresh_cycle',
    source: 'scheduled',
    ebay_account_id: null,
    house_name: null,
    environment: null,
    request: null,
    response: null,
    summary: buildCycleSummary(summary),
    duration_ms: 400,
    ...overrides,
  });
}

export function buildDecryptFailedEntry(overrides: Partial<LogEntry> = {}): LogEntry {
  return buildLogEntry({
    action: 'token_refresh_failed',
    source: 'debug',
    ebay_account_id: BROKEN_ACCOUNT_ID,
    house_name: 'Broken Store',
    request: null,
    response: null,
    error: {
      code: 'decrypt_failed',
      message: 'refresh token could not be decrypted',
      diagnosis: 'auth_failed',
    },
    duration_ms: 3,
    ...overrides,
  });
}

export function buildDebugResult(overrides: Partial<RefreshDebugResult> = {}): RefreshDebugResult {
  const entry = buildLogEntry();
  return {
    environment: 'sandbox',
    success: true,
    error: null,
    error_description: null,
    diagnosis: null,
    request: entry.request,
    response: entry.response,
    duration_ms: 312,
    access_token_expires_at: '2025-12-01T14:00:03.000Z',
    ...overrides,
  };
}

export function buildTokenStatus(overrides: Partial<AccountTokenStatus> = {}): AccountTokenStatus {
  const inOneHour = new Date(Date.now() + 3_600_000).toISOString();
  const inOneYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
  return {
    ebay_account_id: ACCOUNT_ID,
    house_name: 'Main Store',
    environment: 'sandbox',
    ebay_user_id: 'u-main',
    ebay_username: 'main_seller',
    status: 'active',
    status_reason: null,
    state: 'healthy',
    access_token_expires_at: inOneHour,
    refresh_token_expires_at: inOneYear,
    last_refresh_at: new Date(Date.now() - 600_000).toISOString(),
    last_refresh_success: true,
    last_error_code: null,
    last_error_message: null,
    consecutive_failures: 0,
    next_refresh_at: inOneHour,
    last_used_at: null,
    last_used_key_name: null,
    refresh_policy: null,
    effective_policy: 'auto',
    refresh_warm: true,
    ...overrides,
  };
}

export function buildAccount(overrides: Partial<AccountListItem> = {}): AccountListItem {
  return {
    state: overrides.status === 'needs_reconnect' ? 'needs_reconnect' : 'healthy',
    id: ACCOUNT_ID,
    house_name: 'Main Store',
    environment: 'sandbox',
    ebay_user_id: 'u-main',
    ebay_username: 'main_seller',
    status: 'active',
    status_reason: null,
    created_at: '2025-11-01T09:00:00.000Z',
    ...overrides,
  };
}

export function buildLoop(overrides: Partial<LoopStatus> = {}): LoopStatus {
  return {
    name: 'token_refresh_worker',
    interval_seconds: 600,
    last_started_at: new Date(Date.now() - 120_000).toISOString(),
    last_finished_at: new Date(Date.now() - 119_000).toISOString(),
    last_status: 'ok',
    last_error: null,
    stale: false,
    last_summary: buildCycleSummary(),
    instance_id: 'host-1',
    next_cycle_at: new Date(Date.now() + 480_000).toISOString(),
    replicas: [
      {
        instance_id: 'host-1',
        next_cycle_at: new Date(Date.now() + 480_000).toISOString(),
        last_seen_at: new Date(Date.now() - 119_000).toISOString(),
      },
    ],
    run_request: null,
    ...overrides,
  };
}
