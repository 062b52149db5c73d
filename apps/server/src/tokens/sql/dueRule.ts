import { type SQL, sql } from 'drizzle-orm';
import { dbDateOrNull } from '../../db/rows.ts';
import { ebayAccounts as a, ebayTokens as t } from '../../db/schema.ts';

/**
 * When the token refresh worker takes an account on, written once over `ebay_accounts` joined to
 * `ebay_tokens`: as a condition (`isDue`: the claim and the due count) and as a time
 * (`nextRefreshAt`: the status page), both built from the same parts below. Every time bound
 * comes from the caller's `now`.
 *
 * An account is due when it is active, its refresh token has not expired, its access token is
 * missing or expires within the threshold plus the account's jitter, and no backoff
 * (`next_attempt_at`) is pending.
 */

export interface DueQuery {
  now: Date;
  /** Refresh when the access token expires within this many seconds (plus the account's jitter). */
  thresholdSeconds: number;
  /**
   * The account's jitter (0–300 s) is divided by this (integer division) before it is added:
   * the worker's claim passes use a short margin with a small jitter (dueSchedule.ts).
   * Default 1.
   */
  jitterDivisor?: number;
}

/** Nothing to judge by expiry: the account is due at once. */
const noAccessToken = sql`(${t.accessToken} is null or ${t.accessExpiresAt} is null)`;

/** The moment the access token comes due by its expiry: threshold + jitter before it. */
function dueByExpiryAt(q: DueQuery): SQL {
  const divisor = Math.max(1, Math.floor(q.jitterDivisor ?? 1));
  const jitter = divisor === 1 ? sql`${t.jitterSeconds}` : sql`(${t.jitterSeconds} / ${divisor}::int)`;
  return sql`(${t.accessExpiresAt} - make_interval(secs => ${q.thresholdSeconds}::int + ${jitter}))`;
}

/** The account can be refreshed at all: active, with a token row whose refresh token has not expired. */
function refreshable(now: string): SQL {
  return sql`${a.status} = 'active' and ${t.accountId} is not null
    and (${t.refreshExpiresAt} is null or ${t.refreshExpiresAt} > ${now}::timestamptz)`;
}

/** The rule as a condition: the account is due at `now`. */
export function isDue(q: DueQuery): SQL {
  const now = q.now.toISOString();
  return sql`${refreshable(now)}
    and (${noAccessToken} or ${dueByExpiryAt(q)} <= ${now}::timestamptz)
    and (${t.nextAttemptAt} is null or ${t.nextAttemptAt} <= ${now}::timestamptz)`;
}

/**
 * The rule as a time: when the account becomes due (its expiry-based due time, or the backoff if
 * later; `now` when it has no access token), or null when it never will without someone acting.
 * `isDue` holds exactly when this is at or before `now` (dueRule.integration.test.ts).
 */
export function nextRefreshAt(q: DueQuery): SQL<Date | null> {
  const now = q.now.toISOString();
  return sql`case when ${refreshable(now)} then greatest(
      case when ${noAccessToken} then ${now}::timestamptz else ${dueByExpiryAt(q)} end,
      ${t.nextAttemptAt})
    end`.mapWith((value: unknown) => dbDateOrNull.parse(value));
}
