import type { RefreshDebugResult } from '@ebay-connector/contracts';
import type { AppContext } from '../../../context.ts';
import { maskFreeText } from '../../../logs/mask.ts';
import {
  AccountNotFoundError,
  type RefreshResult,
  refreshAccount,
} from '../../../tokens/refresh/refreshAccount.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';

/** The refresh core for the debug and manual routes: busy → 409, vanished account → 404. */
export async function runRefresh(
  ctx: AppContext,
  accountId: string,
  mode: { source: 'debug' | 'manual'; debug: boolean },
): Promise<RefreshResult> {
  try {
    const result = await refreshAccount(ctx, accountId, mode);
    if (result.busy) {
      throw new ConflictError(result.errorMessage ?? 'another refresh is in progress', 'refresh_in_progress');
    }
    return result;
  } catch (err) {
    if (err instanceof AccountNotFoundError) throw new NotFoundError('eBay account');
    throw err;
  }
}

/** The debug terminal's view: the whole masked exchange, or null request/response when no HTTP was made. */
export function presentRefreshResult(result: RefreshResult): RefreshDebugResult {
  return {
    environment: result.environment,
    success: result.success,
    error: result.errorCode,
    error_description: result.errorMessage === null ? null : maskFreeText(result.errorMessage),
    diagnosis: result.diagnosis,
    request: result.request,
    response: result.response,
    duration_ms: result.durationMs,
    access_token_expires_at: result.accessExpiresAt?.toISOString() ?? null,
  };
}
