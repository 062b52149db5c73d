import type {
  AccountTokenStatus,
  Environment,
  TokenState,
  TokenStatusResponse,
} from '@ebay-connector/contracts';
import { and, asc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { ebayAccounts as a, ebayTokens as t } from '../db/schema.ts';
import { maskFreeText } from '../logs/mask.ts';
import { deriveTokenState } from './tokenStatus.ts';

/** The Workers page's per-account token status, always within one org. */

export interface TokenStatusFilter {
  env?: Environment | undefined;
  accountId?: string | undefined;
  search?: string | undefined;
  state?: TokenState | undefined;
  limit: number;
  offset: number;
}

function searchCondition(search: string | undefined): SQL | undefined {
  const term = search?.trim();
  if (!term) return undefined;
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(ilike(a.houseName, pattern), ilike(a.ebayUsername, pattern), ilike(a.ebayUserId, pattern));
}

/**
 * Per-account token status with counts by state for the status card. The state is derived
 * in one place (deriveTokenState), so rows are filtered by state and paged after deriving.
 */
export async function queryTokenStatus(
  ctx: AppContext,
  orgId: string,
  f: TokenStatusFilter,
): Promise<TokenStatusResponse> {
  // Only the columns the status shows: never the token ciphertexts (~3 KB a row), which made
  // this list slow under load (the reliability suite's load stage).
  const rows = await ctx.db
    .select({ account: a, token: statusColumns })
    .from(a)
    .leftJoin(t, eq(t.accountId, a.id))
    .where(
      and(
        eq(a.orgId, orgId),
        f.env ? eq(a.environment, f.env) : undefined,
        f.accountId ? eq(a.id, f.accountId) : undefined,
        searchCondition(f.search),
      ),
    )
    .orderBy(asc(a.houseName), asc(a.id));
  const now = ctx.now();
  const threshold = ctx.env.TOKEN_REFRESH_THRESHOLD_SECONDS;
  const counts: Record<string, number> = {};
  const failingByCode: Record<string, number> = {};
  const all = rows.map(({ account, token }) => {
    const state = deriveTokenState(
      {
        status: account.status,
        accessExpiresAt: token?.accessExpiresAt ?? null,
        refreshExpiresAt: token?.refreshExpiresAt ?? null,
        lastRefreshSuccess: token?.lastRefreshSuccess ?? null,
        consecutiveFailures: token?.consecutiveFailures ?? 0,
      },
      now,
      threshold,
    );
    counts[state] = (counts[state] ?? 0) + 1;
    if (token?.lastErrorCode && token.lastRefreshSuccess === false) {
      failingByCode[token.lastErrorCode] = (failingByCode[token.lastErrorCode] ?? 0) + 1;
    }
    return presentTokenStatus(account, token, state, nextRefreshAt(account, token, now, threshold));
  });
  const filtered = f.state ? all.filter((row) => row.state === f.state) : all;
  return {
    accounts: filtered.slice(f.offset, f.offset + f.limit),
    total: filtered.length,
    counts,
    failing_by_code: failingByCode,
  };
}

const statusColumns = {
  accessExpiresAt: t.accessExpiresAt,
  refreshExpiresAt: t.refreshExpiresAt,
  lastRefreshAt: t.lastRefreshAt,
  lastRefreshSuccess: t.lastRefreshSuccess,
  lastErrorCode: t.lastErrorCode,
  lastErrorMessage: t.lastErrorMessage,
  consecutiveFailures: t.consecutiveFailures,
  nextAttemptAt: t.nextAttemptAt,
  jitterSeconds: t.jitterSeconds,
};

type AccountRow = typeof a.$inferSelect;
type TokenRow = Pick<typeof t.$inferSelect, keyof typeof statusColumns>;

/** When the worker will next take the account on: expiry − (threshold + jitter), or the backoff time if later. */
export function nextRefreshAt(
  account: AccountRow,
  token: TokenRow | null,
  now: Date,
  thresholdSeconds: number,
): Date | null {
  if (account.status !== 'active' || !token) return null;
  if (token.refreshExpiresAt && token.refreshExpiresAt <= now) return null;
  const due = token.accessExpiresAt
    ? new Date(token.accessExpiresAt.getTime() - (thresholdSeconds + token.jitterSeconds) * 1000)
    : now;
  return token.nextAttemptAt && token.nextAttemptAt > due ? token.nextAttemptAt : due;
}

function presentTokenStatus(
  account: AccountRow,
  token: TokenRow | null,
  state: TokenState,
  next: Date | null,
): AccountTokenStatus {
  return {
    ebay_account_id: account.id,
    house_name: account.houseName,
    environment: account.environment,
    ebay_user_id: account.ebayUserId,
    ebay_username: account.ebayUsername,
    status: account.status,
    status_reason: account.statusReason,
    state,
    access_token_expires_at: token?.accessExpiresAt?.toISOString() ?? null,
    refresh_token_expires_at: token?.refreshExpiresAt?.toISOString() ?? null,
    last_refresh_at: token?.lastRefreshAt?.toISOString() ?? null,
    last_refresh_success: token?.lastRefreshSuccess ?? null,
    last_error_code: token?.lastErrorCode ?? null,
    last_error_message: token?.lastErrorMessage ? maskFreeText(token.lastErrorMessage) : null,
    consecutive_failures: token?.consecutiveFailures ?? 0,
    next_refresh_at: next?.toISOString() ?? null,
  };
}
