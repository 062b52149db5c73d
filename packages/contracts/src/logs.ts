import { z } from 'zod';
import {
  type Action,
  actionSchema,
  beforeIdParam,
  environmentSchema,
  errorCodeSchema,
  httpRequestSchema,
  httpResponseSchema,
  idSchema,
  limitParam,
  logErrorSchema,
  sourceSchema,
} from './common.ts';
import { defineEndpoint } from './endpoint.ts';

/** A connect-log entry, as the JSON viewer, the terminal and its live stream show it. */
export const logEntrySchema = z.object({
  id: z.number(),
  created_at: z.string(),
  action: actionSchema,
  source: sourceSchema,
  environment: environmentSchema.nullable(),
  ebay_account_id: z.string().nullable(),
  house_name: z.string().nullable(),
  request: httpRequestSchema.nullable(),
  response: httpResponseSchema.nullable(),
  /**
   * For `token_refresh_cycle` entries: the cycle summary (this org's part); for on-demand
   * refreshes (`source=on_demand`): the API key that caused it, `{api_key_id, api_key_name}`.
   */
  summary: z.record(z.string(), z.unknown()).nullable(),
  error: logErrorSchema.nullable(),
  duration_ms: z.number().nullable(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

export const tokenLogsQuery = z.object({
  env: environmentSchema.optional(),
  limit: limitParam,
  before_id: beforeIdParam.optional(),
  ebay_account_id: idSchema.optional(),
});
export const tokenLogsResponse = z.object({
  logs: z.array(logEntrySchema),
  next_before_id: z.number().nullable(),
});

/** A list in a query string is comma-separated (`source=scheduled,debug`); joinListParam writes one. */
const sourceList = z
  .string()
  .max(200)
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(sourceSchema));
export const joinListParam = (items: readonly string[]): string => items.join(',');
/** The filters the live stream applies too. */
const terminalFilters = z.object({
  env: environmentSchema.optional(),
  source: sourceList.optional(),
  ebay_account_id: idSchema.optional(),
  errors_only: z.enum(['true', 'false']).optional(),
  /** The unified terminal defaults to token actions; the Accounts page asks for connect actions. */
  kind: z.enum(['token', 'connect', 'all']).default('token'),
});
const commaList = (name: string) =>
  z
    .string()
    .max(1000, `${name} is too long`)
    .transform((s) => [
      ...new Set(
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ]);
const errorCodeList = commaList('error_code').pipe(
  z.array(errorCodeSchema).min(1, 'error_code must name at least one code'),
);
const actionList = commaList('action').pipe(
  z.array(actionSchema).min(1, 'action must name at least one action'),
);
const isoTime = (name: string) =>
  z.iso
    .datetime({ offset: true, message: `${name} must be an ISO date-time, e.g. 2026-12-03T07:45:00Z` })
    .transform((s) => new Date(s));
export const SEARCH_MIN_CHARS = 3;
export const SEARCH_MAX_CHARS = 100;
export const terminalLogsQuery = terminalFilters
  .extend({
    limit: limitParam,
    before_id: beforeIdParam.optional(),
    /**
     * Text search over the whole history, case-insensitive substring of the house name, eBay
     * username, action, error code and error message (not request or response bodies).
     */
    q: z
      .string()
      .trim()
      .min(SEARCH_MIN_CHARS, `q must be ${SEARCH_MIN_CHARS} to ${SEARCH_MAX_CHARS} characters`)
      .max(SEARCH_MAX_CHARS, `q must be ${SEARCH_MIN_CHARS} to ${SEARCH_MAX_CHARS} characters`)
      .optional(),
    /** Entries failing with one of these codes (comma-separated). */
    error_code: errorCodeList.optional(),
    /** These actions only (comma-separated); replaces the actions of `kind`. */
    action: actionList.optional(),
    /** Entries written at or after `from` and before `to` (a cycle marker's start and finish). */
    from: isoTime('from').optional(),
    to: isoTime('to').optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export const terminalLogsResponse = z.object({
  entries: z.array(logEntrySchema),
  next_before_id: z.number().nullable(),
});
/** `after_id`: deliver entries written after this id first (the UI passes the newest id of its first page). */
export const terminalStreamQuery = terminalFilters.extend({
  after_id: z.coerce
    .number<number>({ message: 'after_id must be a number' })
    .int('after_id must be an integer')
    .min(0, 'after_id must be at least 0')
    .max(Number.MAX_SAFE_INTEGER)
    .optional(),
});

export const logsEndpoints = {
  tokenLogs: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/tokens/logs',
    access: 'signed_in',
    tag: 'logs',
    summary: 'Token connect logs for the JSON viewer, newest first, keyset-paged by `before_id`',
    query: tokenLogsQuery,
    response: tokenLogsResponse,
  }),
  terminalLogs: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/tokens/terminal-logs',
    access: 'signed_in',
    tag: 'logs',
    summary: "The unified terminal's history with cycle markers, newest first, keyset-paged by `before_id`",
    query: terminalLogsQuery,
    response: terminalLogsResponse,
  }),
  terminalStream: defineEndpoint({
    method: 'GET',
    path: '/api/admin/ebay/tokens/terminal-stream',
    access: 'signed_in',
    tag: 'logs',
    summary: 'Live tail of the terminal entries, resuming after `Last-Event-ID`',
    query: terminalStreamQuery,
    rawAnswer: {
      status: 200,
      mediaType: 'text/event-stream',
      description: 'Server-Sent Events: `event: entry`, `id:` the entry id, `data:` a log entry as JSON',
    },
  }),
};

/** Which actions each log view shows: the server filters by them, the terminal's action filter offers them. */
/** The JSON viewer's actions (the seed report's list). */
export const TOKEN_LOG_ACTIONS: readonly Action[] = [
  'token_refreshed',
  'token_refresh_failed',
  'token_info_viewed',
  'token_call_blocked_missing_scopes',
];
export const CONNECT_ACTIONS: readonly Action[] = [
  'connect_started',
  'token_exchanged',
  'connect_completed',
  'connect_failed',
  // What happened to the account since it was connected (the account's connect log).
  'account_disabled',
  'account_enabled',
  'account_removed',
  'account_deleted',
];
export const TERMINAL_ACTIONS: Record<'token' | 'connect' | 'all', readonly Action[]> = {
  // `account_deleted` (eBay's account-deletion notification) shows in the token worker terminal too.
  token: [
    ...TOKEN_LOG_ACTIONS,
    'token_refresh_debug',
    'token_refresh_cycle',
    'token_repaired',
    'account_deleted',
  ],
  connect: CONNECT_ACTIONS,
  all: [
    ...TOKEN_LOG_ACTIONS,
    'token_refresh_debug',
    'token_refresh_cycle',
    'token_repaired',
    ...CONNECT_ACTIONS,
  ],
};
