import {
  type AccountTokenStatus,
  type Environment,
  messageWithoutCode,
  type RefreshErrorCode,
  type RefreshPolicyValue,
  type TokenState,
  type TokenStatusResponse,
} from '@ebay-connector/contracts';
import { and, asc, eq, ilike, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { ebayAccounts as a, apiKeys as k, ebayTokens as t } from '../../db/schema.ts';
import { maskFreeText } from '../../logs/mask.ts';
import { nextRefreshAt } from '../sql/dueRule.ts';
import { warmDueRule } from '../sql/dueSchedule.ts';
import { isFailing, tokenStateSql } from '../sql/tokenState.ts';
import { countsCacheFor, countTokenStates, type StateCounts } from './statusCounts.ts';

/** The Workers page's per-account token status, always within one org. */

export interface TokenStatusFilter {
  env?: Environment | undefined;
  accountId?: string | undefined;
  search?: string | undefined;
  state?: TokenState | undefined;
  /** Accounts whose last refresh failed with this code. */
  errorCode?: RefreshErrorCode | undefined;
  limit: number;
  offset: number;
}

/** Where pg_trgm is installed, `ebay_accounts_search_trgm_idx` (migration 0003) serves this. */
function searchCondition(term: string | undefined): SQL | undefined {
  if (!term) return undefined;
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return or(ilike(a.houseName, pattern), ilike(a.ebayUsername, pattern), ilike(a.ebayUserId, pattern));
}

/**
 * Per-account token status with counts by state for the status card, in two statements run
 * side by side: the counts (one aggregate, reused for a few seconds at large orgs:
 * statusCounts.ts) and the requested page. The page is chosen on `ebay_accounts_org_idx` alone — (org, house name, id)
 * with environment and status, so any OFFSET is an index-only walk — and only its rows are joined
 * to their tokens. A state filter joins every candidate, starting from `ebay_tokens_failing_idx`
 * for `failing`. Every state, counted, filtered or shown, is `tokenStateSql` and every
 * `next_refresh_at` the worker's due rule (tokens/sql/), both at the same `now`
 * (docs/PERFORMANCE.md, benchmark 3).
 */
export async function queryTokenStatus(
  ctx: AppContext,
  orgId: string,
  f: TokenStatusFilter,
): Promise<TokenStatusResponse> {
  const now = ctx.now();
  const threshold = ctx.env.TOKEN_REFRESH_THRESHOLD_SECONDS;
  const search = f.search?.trim() || undefined;
  const where = and(
    eq(a.orgId, orgId),
    // Removed accounts have no tokens and leave the table; `status` is a key of the page's index.
    ne(a.status, 'removed'),
    f.env ? eq(a.environment, f.env) : undefined,
    f.accountId ? eq(a.id, f.accountId) : undefined,
    searchCondition(search),
  );
  const state = tokenStateSql(now, threshold);
  const countsKey = JSON.stringify([orgId, f.env ?? null, f.accountId ?? null, search ?? null, threshold]);
  const counting = countsCacheFor(ctx.db).get(countsKey, now, () =>
    countTokenStates(ctx.db, where, state, now),
  );
  const page = ctx.db
    .select({ id: a.id })
    .from(a)
    // Dropped by the planner when no state is asked for: the token's primary key is the account's.
    .leftJoin(t, eq(t.accountId, a.id))
    .where(
      and(
        where,
        f.state ? stateCondition(f.state, state) : undefined,
        f.errorCode ? and(eq(t.lastRefreshSuccess, false), eq(t.lastErrorCode, f.errorCode)) : undefined,
      ),
    )
    .orderBy(asc(a.houseName), asc(a.id))
    .limit(f.limit)
    .offset(f.offset);
  const [counted, rows] = await Promise.all([
    counting,
    ctx.db
      .select({
        account: a,
        token: statusColumns,
        state,
        nextRefreshAt: nextRefreshAt({ now, ...warmDueRule(ctx.env) }),
        lastUsedKeyName: k.name,
      })
      .from(a)
      .leftJoin(t, eq(t.accountId, a.id))
      // "Last used by a service": the key's name, only ever a key of the same org.
      .leftJoin(k, and(eq(k.id, a.lastUsedKeyId), eq(k.orgId, a.orgId)))
      .where(and(eq(a.orgId, orgId), inArray(a.id, page)))
      .orderBy(asc(a.houseName), asc(a.id)),
  ]);
  const defaultPolicy = ctx.env.TOKEN_REFRESH_POLICY;
  const accounts = rows.map((row) => presentTokenStatus(row, defaultPolicy));
  return {
    accounts,
    total: totalOf(counted, f),
    counts: counted.counts,
    failing_by_code: counted.codesByState.failing ?? {},
    needs_reconnect_by_code: counted.codesByState.needs_reconnect ?? {},
    counts_as_of: counted.asOf.toISOString(),
  };
}

/** How many accounts the filters select: from the counts, as the page's rows are. */
function totalOf(counted: StateCounts, f: TokenStatusFilter): number {
  if (f.errorCode) {
    const code = f.errorCode;
    const states = f.state ? [f.state] : Object.keys(counted.codesByState);
    return states.reduce((sum, s) => sum + (counted.codesByState[s]?.[code] ?? 0), 0);
  }
  return f.state ? (counted.counts[f.state] ?? 0) : counted.total;
}

/**
 * `state = …`, and for two states what that implies, in a form an index can serve: the partial
 * `ebay_tokens_failing_idx` (its predicate, word for word) and the account's status.
 */
function stateCondition(wanted: TokenState, state: SQL<TokenState>): SQL | undefined {
  const implied =
    wanted === 'failing' ? isFailing : wanted === 'disabled' ? sql`${a.status} = 'disabled'` : undefined;
  return and(eq(state, wanted), implied);
}

const statusColumns = {
  accessExpiresAt: t.accessExpiresAt,
  refreshExpiresAt: t.refreshExpiresAt,
  lastRefreshAt: t.lastRefreshAt,
  lastRefreshSuccess: t.lastRefreshSuccess,
  lastErrorCode: t.lastErrorCode,
  lastErrorMessage: t.lastErrorMessage,
  consecutiveFailures: t.consecutiveFailures,
};

type AccountRow = typeof a.$inferSelect;
type TokenRow = Pick<typeof t.$inferSelect, keyof typeof statusColumns>;

function presentTokenStatus(
  {
    account,
    token,
    state,
    nextRefreshAt: next,
    lastUsedKeyName,
  }: {
    account: AccountRow;
    token: TokenRow | null;
    state: TokenState;
    nextRefreshAt: Date | null;
    lastUsedKeyName: string | null;
  },
  defaultPolicy: RefreshPolicyValue,
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
    last_error_message: token?.lastErrorMessage
      ? maskFreeText(messageWithoutCode(token.lastErrorCode, token.lastErrorMessage))
      : null,
    consecutive_failures: token?.consecutiveFailures ?? 0,
    next_refresh_at: next?.toISOString() ?? null,
    last_used_at: account.lastUsedAt?.toISOString() ?? null,
    last_used_key_name: account.lastUsedAt ? lastUsedKeyName : null,
    refresh_policy: account.refreshPolicy,
    effective_policy: account.refreshPolicy ?? defaultPolicy,
    refresh_warm: account.refreshWarm,
  };
}
