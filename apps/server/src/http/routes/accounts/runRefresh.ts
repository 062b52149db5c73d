import type { RefreshDebugResult } from '@ebay-connector/contracts';
import type { AppContext } from '../../../context.ts';
import { maskFreeText } from '../../../logs/mask.ts';
import { AccountNotFoundError, refreshAccount } from '../../../tokens/refresh/refreshAccount.ts';
import type { RefreshBusy, RefreshOutcome } from '../../../tokens/refresh/refreshOutcome.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';

/** The refresh core for the debug and manual routes: busy → 409, vanished account → 404. */
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

/** The debug terminal's view: the whole masked exchange, or null request/response when no HTTP was made. */
export function presentRefreshResult(outcome: Exclude<RefreshOutcome, RefreshBusy>): RefreshDebugResult {
  const { environment } = outcome;
  if (outcome.kind === 'not_needed') {
    const access_token_expires_at = outcome.accessExpiresAt.toISOString();
    return { ...NOTHING_SENT, environment, success: true, access_token_expires_at };
  }
  const { result, exchange } = outcome;
  return {
    environment,
    success: result.ok,
    error: result.ok ? null : result.code,
    error_description: result.ok ? null : maskFreeText(result.message),
    diagnosis: result.ok ? null : (result.diagnosis ?? null),
    request: exchange?.request ?? null,
    response: exchange?.response ?? null,
    duration_ms: outcome.durationMs,
    access_token_expires_at: result.ok ? result.accessExpiresAt.toISOString() : null,
  };
}

const NOTHING_SENT = {
  error: null,
  error_description: null,
  diagnosis: null,
  request: null,
  response: null,
  duration_ms: 0,
} as const;
