import type { Environment, Source } from '@ebay-connector/contracts';
import type { SessionUser } from '../../auth/sessions.ts';
import type { AppContext } from '../../context.ts';
import type { LogFilter } from '../../logs/queryLogs.ts';
import { AccountNotFoundError, refreshAccount } from '../../tokens/refresh/refreshAccount.ts';
import type { RefreshBusy, RefreshOutcome } from '../../tokens/refresh/refreshOutcome.ts';
import { findAccountInOrg, type OrgAccount } from '../../tokens/status/accountQuery.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { HttpDeps } from '../types.ts';

/** Pieces several route modules share. */

/** The account within the caller's org, or the same 404 for a missing id and another org's. */
export async function requireOrgAccount(
  deps: HttpDeps,
  auth: SessionUser,
  accountId: string,
): Promise<OrgAccount> {
  const account = await findAccountInOrg(deps.ctx.db, auth.org.id, accountId);
  if (!account) throw new NotFoundError('eBay account');
  return account;
}

/** An optional `ebay_account_id` filter must name one of the org's accounts too. */
export async function checkAccountFilter(
  deps: HttpDeps,
  auth: SessionUser,
  accountId?: string,
): Promise<void> {
  if (accountId) await requireOrgAccount(deps, auth, accountId);
}

export interface LogQueryParams {
  env?: Environment | undefined;
  source?: Source[] | undefined;
  ebay_account_id?: string | undefined;
  errors_only?: 'true' | 'false' | undefined;
}

export function logFilterOf(orgId: string, actions: LogFilter['actions'], q: LogQueryParams): LogFilter {
  return {
    orgId,
    actions,
    env: q.env,
    sources: q.source,
    accountId: q.ebay_account_id,
    errorsOnly: q.errors_only === 'true',
  };
}

/** Per-account limits of the calls that reach eBay (debug and manual refresh). */
export function perAccountRateLimit(name: string, accountIdOf: (body: unknown, params: unknown) => unknown) {
  return {
    max: 6,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: { auth: SessionUser | null; body: unknown; params: unknown }) =>
      `${name}:${request.auth?.org.id ?? '-'}:${String(accountIdOf(request.body, request.params))}`,
  };
}

/** The refresh core for the debug and manual routes: busy → 409, an account gone meanwhile → 404. */
export async function runRefresh(
  ctx: AppContext,
  accountId: string,
  mode: { source: 'debug' | 'manual' },
): Promise<Exclude<RefreshOutcome, RefreshBusy>> {
  try {
    const outcome = await refreshAccount(ctx, accountId, mode);
    if (outcome.kind === 'busy') {
      throw new ConflictError('another refresh of this account is in progress', 'refresh_in_progress');
    }
    return outcome;
  } catch (err) {
    if (err instanceof AccountNotFoundError) throw new NotFoundError('eBay account');
    throw err;
  }
}
