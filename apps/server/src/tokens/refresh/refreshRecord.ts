import { type Action, PARKING_ERROR_CODES, type Source } from '@ebay-connector/contracts';
import type { AppContext } from '../../context.ts';
import type { RefreshTarget } from '../sql/refreshTarget.ts';
import { type AttemptWrite, type TokenChange, writeAttempt, writeAttemptLogs } from '../sql/writeAttempt.ts';
import type { Attempt, AttemptResult, GrantedTokens, RefreshFailure, RequestedBy } from './refreshOutcome.ts';

/** Writing the outcome of one attempt: tokens encrypted, the account's status, both log rows. */

export interface AttemptRecord extends Attempt {
  source: Source;
  leaseOwner: string;
  /**
   * A success releases the lease in the same commit that stores the new token (the worker and
   * single-lease callers alike: no statement of its own afterwards, and a concurrent on-demand
   * caller that takes the lease next reads the new token).
   */
  releaseLeaseOnSuccess: boolean;
  /** The API key whose request caused this on-demand refresh. */
  requestedBy?: RequestedBy;
}

const LEASE_LOST: RefreshFailure = {
  ok: false,
  code: 'lease_lost',
  transient: true,
  message: 'another process updated this token meanwhile; the stored token was left unchanged',
};

/**
 * Writes one attempt in one statement (tokens/sql/writeAttempt.ts). If the compare-and-set on the
 * token row matches nothing (a reconnect or another process changed it), the attempt is recorded
 * as `lease_lost` and the stored tokens stay as they are. Returns the result as stored.
 */
export async function recordAttempt(
  ctx: AppContext,
  target: RefreshTarget,
  record: AttemptRecord,
): Promise<AttemptResult> {
  const finishedAt = ctx.now();
  const write = (result: AttemptResult<GrantedTokens>): AttemptWrite => ({
    target,
    leaseOwner: record.leaseOwner,
    startedAt: record.startedAt,
    finishedAt,
    durationMs: record.durationMs,
    source: record.source,
    action: actionFor(record.source, result),
    request: record.exchange?.request ?? null,
    response: record.exchange?.response ?? null,
    change: tokenChange(ctx, record, result),
    summary: record.requestedBy
      ? { api_key_id: record.requestedBy.apiKeyId, api_key_name: record.requestedBy.apiKeyName }
      : null,
  });
  const { result } = record;
  if (await writeAttempt(ctx.db, write(result))) {
    return result.ok ? { ok: true, accessExpiresAt: result.accessExpiresAt } : result;
  }
  await writeAttemptLogs(ctx.db, write(LEASE_LOST));
  return LEASE_LOST;
}

function tokenChange(
  ctx: AppContext,
  record: Pick<AttemptRecord, 'releaseLeaseOnSuccess'>,
  result: AttemptResult<GrantedTokens>,
): TokenChange {
  if (!result.ok) {
    return {
      ok: false,
      code: result.code,
      message: result.message,
      ...(result.diagnosis ? { diagnosis: result.diagnosis } : {}),
      // Only the seller can fix these: the account goes `needs_reconnect`.
      needsReconnect: PARKING_ERROR_CODES.includes(result.code),
    };
  }
  return {
    ok: true,
    accessToken: ctx.cipher.encrypt(result.accessToken),
    accessExpiresAt: result.accessExpiresAt,
    refreshToken: result.refreshToken ? ctx.cipher.encrypt(result.refreshToken) : null,
    refreshExpiresAt: result.refreshExpiresAt ?? null,
    releaseLease: record.releaseLeaseOnSuccess,
  };
}

function actionFor(source: Source, result: AttemptResult<GrantedTokens>): Action {
  if (source === 'debug') return 'token_refresh_debug';
  if (result.ok) return 'token_refreshed';
  return result.code === 'missing_scopes' ? 'token_call_blocked_missing_scopes' : 'token_refresh_failed';
}
