import { type TokenState, tokenStateSchema } from '@ebay-connector/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';

/**
 * The badge of an account (healthy, expiring_soon, expired, on_demand, failing, needs_reconnect,
 * disabled),
 * decided here only: one SQL expression over `ebay_accounts` left-joined to `ebay_tokens`, which
 * the status page's rows, its counts and filters, and the metrics all select.
 */

/** Thirty days: inside this a refresh token's expiry is worth a warning (the seller must reconnect). */
export const REFRESH_EXPIRY_WARNING_MS = 30 * 24 * 3600 * 1000;

/** The last refresh failed and counted: the predicate of `ebay_tokens_failing_idx`, word for word. */
export const isFailing = sql`${t.lastRefreshSuccess} = false and ${t.consecutiveFailures} > 0`;

/**
 * The state of every row at `now`; each time bound is computed here from that one `now`.
 * `on_demand`: outside the refresh plan's warm set (`refresh_warm` false) with an expired or
 * expiring access token, which is expected there: a service asking for a token gets it refreshed.
 */
export function tokenStateSql(now: Date, thresholdSeconds: number): SQL<TokenState> {
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  return sql`case
    when ${a.status} = 'disabled' then 'disabled'
    when ${a.status} = 'needs_reconnect' then 'needs_reconnect'
    when ${t.refreshExpiresAt} <= ${at(0)}::timestamptz then 'needs_reconnect'
    when ${isFailing} then 'failing'
    when not ${a.refreshWarm} and (${t.accessExpiresAt} is null
      or ${t.accessExpiresAt} <= ${at(thresholdSeconds * 1000)}::timestamptz) then 'on_demand'
    when ${t.accessExpiresAt} is null or ${t.accessExpiresAt} <= ${at(0)}::timestamptz then 'expired'
    when ${t.accessExpiresAt} <= ${at(thresholdSeconds * 1000)}::timestamptz then 'expiring_soon'
    when ${t.refreshExpiresAt} <= ${at(REFRESH_EXPIRY_WARNING_MS)}::timestamptz then 'expiring_soon'
    else 'healthy' end`.mapWith((value: unknown) => tokenStateSchema.parse(value));
}
