import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** The one Postgres schema. Runs unchanged on PostgreSQL and PGlite. */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

export const orgs = pgTable('orgs', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    email: text('email').notNull().unique(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['admin', 'viewer'] }).notNull(),
    createdAt: createdAt(),
    /** A disabled user cannot sign in and has no session (auth/sessions.ts checks it on every request). */
    disabledAt: ts('disabled_at'),
    /** Signed in with a one-time password: nothing but choosing a new one until done (auth/passwordChange.ts). */
    passwordChangeRequired: boolean('password_change_required').notNull().default(false),
  },
  (t) => [check('users_role_check', sql`${t.role} in ('admin', 'viewer')`)],
);

/**
 * Invite and password-reset links (auth/passwordLinks.ts): only the sha256 of the link's token,
 * one pending link per user, consumed on use.
 */
export const passwordLinks = pgTable(
  'password_links',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['invite', 'reset'] }).notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('password_links_user_uq').on(t.userId),
    check('password_links_purpose_check', sql`${t.purpose} in ('invite', 'reset')`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: the token itself is never stored. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Single-use OAuth `state` values of the connect flow, bound to session and org. */
export const oauthStates = pgTable('oauth_states', {
  id: text('id').primaryKey(),
  orgId: uuid('org_id')
    .notNull()
    .references(() => orgs.id, { onDelete: 'cascade' }),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  sessionId: text('session_id').notNull(),
  environment: text('environment', { enum: ['sandbox', 'production'] }).notNull(),
  houseName: text('house_name').notNull(),
  /** A reconnect: the callback may only ever write this account (tokens/connect/connectExchange.ts). */
  ebayAccountId: uuid('ebay_account_id').references(() => ebayAccounts.id, { onDelete: 'cascade' }),
  expiresAt: ts('expires_at').notNull(),
  createdAt: createdAt(),
});

export const ebayAccounts = pgTable(
  'ebay_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    environment: text('environment', { enum: ['sandbox', 'production'] }).notNull(),
    houseName: text('house_name').notNull(),
    ebayUserId: text('ebay_user_id').notNull(),
    ebayUsername: text('ebay_username'),
    /** `removed`: an admin removed it; `deleted`: eBay's account-deletion notification erased it. Both keep the row so its history reads. */
    status: text('status', { enum: ['active', 'needs_reconnect', 'disabled', 'removed', 'deleted'] })
      .notNull()
      .default('active'),
    statusReason: text('status_reason'),
    /** When a service last took a token or proxied a call for this account (the demand signal). */
    lastUsedAt: ts('last_used_at'),
    /** The API key that used it last (foreign key added with the api_keys table; set null on delete). */
    lastUsedKeyId: uuid('last_used_key_id').references((): AnyPgColumn => apiKeys.id, {
      onDelete: 'set null',
    }),
    /** `warm`, `on_demand` or `auto`; null follows the deployment default TOKEN_REFRESH_POLICY. */
    refreshPolicy: text('refresh_policy', { enum: ['auto', 'warm', 'on_demand'] }),
    /** In the refresh plan's warm set now (workers/refreshPlan.ts); set by the worker each cycle. */
    refreshWarm: boolean('refresh_warm').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('ebay_accounts_refresh_policy_check', sql`${t.refreshPolicy} in ('auto', 'warm', 'on_demand')`),
    uniqueIndex('ebay_accounts_org_env_user_uq').on(t.orgId, t.environment, t.ebayUserId),
    // The Workers page's order (house name, id) with the columns its filters and counts read, so
    // a page at any OFFSET is an index-only walk (docs/PERFORMANCE.md, benchmark 3). Environment
    // and status trail as key columns: drizzle has no INCLUDE, and after the unique id they
    // change nothing about the order. Search uses `ebay_accounts_search_trgm_idx` where pg_trgm
    // exists (created in migration 0003 only: it is conditional, see there).
    index('ebay_accounts_org_idx').on(t.orgId, t.houseName, t.id, t.environment, t.status),
  ],
);

export const ebayTokens = pgTable(
  'ebay_tokens',
  {
    accountId: uuid('account_id')
      .primaryKey()
      .references(() => ebayAccounts.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    accessExpiresAt: ts('access_expires_at'),
    refreshToken: text('refresh_token').notNull(),
    refreshExpiresAt: ts('refresh_expires_at'),
    scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
    version: integer('version').notNull().default(1),
    nextAttemptAt: ts('next_attempt_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: ts('lease_until'),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    lastRefreshAt: ts('last_refresh_at'),
    lastRefreshSuccess: boolean('last_refresh_success'),
    lastErrorCode: text('last_error_code'),
    lastErrorMessage: text('last_error_message'),
    /** Deterministic per-account offset so accounts connected together do not all fall due together. */
    jitterSeconds: integer('jitter_seconds').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  // NULLS FIRST matches the claim's `order by access_expires_at asc nulls first`, so the claim
  // walks this index and stops after one batch instead of sorting every due row
  // (139 ms → 1 ms at 100,000 accounts; docs/PERFORMANCE.md, benchmark 3).
  (t) => [
    index('ebay_tokens_due_idx').on(t.accessExpiresAt.asc().nullsFirst()),
    // The few tokens whose last refresh failed: the Workers page's state=failing filter starts
    // here instead of joining every account of the org. Only failing rows are in it, so the
    // worker's updates of healthy tokens never touch it.
    index('ebay_tokens_failing_idx')
      .on(t.accountId)
      .where(sql`last_refresh_success = false and consecutive_failures > 0`),
  ],
);

export const ebayTokenRefreshLogs = pgTable(
  'ebay_token_refresh_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: uuid('org_id').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => ebayAccounts.id, { onDelete: 'cascade' }),
    startedAt: ts('started_at').notNull(),
    finishedAt: ts('finished_at').notNull(),
    success: boolean('success').notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    triggeredBy: text('triggered_by').notNull(),
    oldAccessExpiresAt: ts('old_access_expires_at'),
    newAccessExpiresAt: ts('new_access_expires_at'),
    durationMs: integer('duration_ms').notNull(),
    connectLogId: bigint('connect_log_id', { mode: 'number' }),
  },
  (t) => [
    index('refresh_logs_account_idx').on(t.accountId, t.id.desc()),
    index('refresh_logs_started_idx').on(t.startedAt),
  ],
);

export const ebayConnectLogs = pgTable(
  'ebay_connect_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: uuid('org_id'),
    accountId: uuid('account_id').references(() => ebayAccounts.id, { onDelete: 'set null' }),
    environment: text('environment', { enum: ['sandbox', 'production'] }),
    action: text('action').notNull(),
    source: text('source').notNull(),
    request: jsonb('request'),
    response: jsonb('response'),
    error: jsonb('error'),
    /** `token_refresh_cycle` entries: the cycle summary, with a per-org part (`by_org`). */
    summary: jsonb('summary'),
    durationMs: integer('duration_ms'),
    createdAt: createdAt(),
  },
  (t) => [
    index('connect_logs_org_env_id_idx').on(t.orgId, t.environment, t.id.desc()),
    index('connect_logs_org_id_idx').on(t.orgId, t.id.desc()),
    index('connect_logs_account_idx').on(t.accountId, t.id.desc()),
    index('connect_logs_created_idx').on(t.createdAt),
  ],
);

export const backgroundWorkers = pgTable('background_workers', {
  name: text('name').primaryKey(),
  intervalSeconds: integer('interval_seconds').notNull(),
  lastStartedAt: ts('last_started_at'),
  lastFinishedAt: ts('last_finished_at'),
  lastStatus: text('last_status'),
  lastError: text('last_error'),
  lastSummary: jsonb('last_summary'),
  instanceId: text('instance_id'),
  /**
   * "Run cycle now" (workers/runRequests.ts): set by the API, taken by exactly one replica with
   * compare-and-set, which then runs a cycle at once. `run_requested_by` is the admin's email,
   * shown to their own org only (`run_requested_org_id`).
   */
  runRequestedAt: ts('run_requested_at'),
  runRequestedBy: text('run_requested_by'),
  runRequestedOrgId: uuid('run_requested_org_id'),
  runTakenAt: ts('run_taken_at'),
  runTakenBy: text('run_taken_by'),
});

/** Each running replica of a loop and when it will start its next cycle ("next cycle in 7 min"). */
export const backgroundWorkerInstances = pgTable(
  'background_worker_instances',
  {
    name: text('name').notNull(),
    instanceId: text('instance_id').notNull(),
    intervalSeconds: integer('interval_seconds').notNull(),
    nextCycleAt: ts('next_cycle_at'),
    lastSeenAt: ts('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.instanceId] })],
);

/**
 * The last state each alert subject was alerted in (alerts/): an account `ok`, `failing` or
 * `needs_reconnect`, a loop `ok` or `stale`. A webhook event goes out only when the state
 * changes, once across replicas (compare-and-set on `state`), with the delivery outcome.
 */
export const alertStates = pgTable(
  'alert_states',
  {
    subjectKind: text('subject_kind', { enum: ['account', 'loop', 'quota'] }).notNull(),
    subjectId: text('subject_id').notNull(),
    state: text('state').notNull(),
    changedAt: ts('changed_at').notNull().defaultNow(),
    lastEventId: text('last_event_id'),
    lastEventType: text('last_event_type'),
    /** The event as sent: an event whose sender stopped is sent again from here. */
    lastEvent: jsonb('last_event'),
    deliveryStatus: text('delivery_status'),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    lastDeliveryAt: ts('last_delivery_at'),
    lastDeliveryError: text('last_delivery_error'),
  },
  (t) => [primaryKey({ columns: [t.subjectKind, t.subjectId] })],
);

/**
 * The counters of the HTTP rate limits (login, per-account refreshes, per API key), shared by
 * every web replica (http/rateLimitStore.ts, auth/apiKeyRequest.ts). `key` is a sha256: no email
 * or address is stored. UNLOGGED since migration 0012 (no WAL, so no flush wait per request;
 * emptied by a crash); drizzle's table builder has no way to say so, the migration does.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: ts('reset_at').notNull(),
});

/**
 * The application access token (client-credentials grant), one per environment, encrypted like the
 * user tokens. `lease_owner`/`lease_until`: the one process fetching a new one (single-flight).
 */
export const ebayAppTokens = pgTable(
  'ebay_app_tokens',
  {
    environment: text('environment', { enum: ['sandbox', 'production'] }).primaryKey(),
    accessToken: text('access_token'),
    scopes: text('scopes'),
    expiresAt: ts('expires_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: ts('lease_until'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [check('ebay_app_tokens_environment_check', sql`${t.environment} in ('sandbox', 'production')`)],
);

/**
 * eBay notifications received and verified (Marketplace Account Deletion): the audit record. The
 * eBay user id is kept only as a sha256; `notification_id` is unique, so a redelivery changes nothing.
 */
export const ebayNotifications = pgTable(
  'ebay_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    notificationId: text('notification_id').notNull(),
    topic: text('topic').notNull(),
    environment: text('environment', { enum: ['sandbox', 'production'] }).notNull(),
    userIdSha256: text('user_id_sha256'),
    receivedAt: ts('received_at').notNull().defaultNow(),
    processedAt: ts('processed_at'),
    accountsAffected: integer('accounts_affected').notNull().default(0),
    /** `accounts_deleted`, `unknown_user` or `ignored_topic`. */
    outcome: text('outcome').notNull(),
  },
  (t) => [
    uniqueIndex('ebay_notifications_notification_id_uq').on(t.notificationId),
    index('ebay_notifications_received_idx').on(t.receivedAt),
  ],
);

/** Notifications refused (bad signature, malformed, key unobtainable): the Workers page's last failure. */
export const ebayNotificationFailures = pgTable(
  'ebay_notification_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reason: text('reason').notNull(),
    httpStatus: integer('http_status').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('ebay_notification_failures_created_idx').on(t.createdAt)],
);

/**
 * API keys of services (`/api/v1`, http/auth/apiKeyAuth.ts): only the sha256 (hex) of the key is
 * stored, looked up on every request, so a revoke holds at once on every replica. `key_prefix`: the
 * first 8 characters after `ebc_`, for telling keys apart. `last_used_at` is written batched.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scopes: text('scopes', { enum: ['tokens', 'proxy'] })
      .array()
      .notNull(),
    keyHash: text('key_hash').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_uq').on(t.keyHash),
    index('api_keys_org_idx').on(t.orgId, t.createdAt),
    check('api_keys_name_check', sql`char_length(${t.name}) between 1 and 100`),
    check(
      'api_keys_scopes_check',
      sql`cardinality(${t.scopes}) > 0 and ${t.scopes} <@ array['tokens', 'proxy']::text[]`,
    ),
  ],
);

/**
 * Warm refreshes paused after eBay's token endpoint answered 429 (tokens/sql/refreshPause.ts): one
 * row per grant type, read by every replica before it claims, so the pause holds across them.
 */
export const ebayRefreshPauses = pgTable('ebay_refresh_pauses', {
  grantType: text('grant_type').primaryKey(),
  pausedUntil: ts('paused_until').notNull(),
  reason: text('reason').notNull(),
  pausedAt: ts('paused_at').notNull(),
});
