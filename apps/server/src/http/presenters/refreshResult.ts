import type { endpoints, ResponseOf } from '@ebay-connector/contracts';
import { maskFreeText } from '../../logs/mask.ts';
import type { RefreshResult } from '../../tokens/refresh/refreshAccount.ts';

const errorDescription = (result: RefreshResult) =>
  result.errorMessage === null ? null : maskFreeText(result.errorMessage);

/** The manual button's view: the outcome and the new expiry, no transcript. */
export function presentManualRefresh(result: RefreshResult): ResponseOf<typeof endpoints.manualRefresh> {
  return {
    success: result.success,
    error: result.errorCode,
    error_description: errorDescription(result),
    access_token_expires_at: result.accessExpiresAt?.toISOString() ?? null,
  };
}

/** The debug terminal's view: the whole masked exchange, or null request/response when no HTTP was made. */
export function presentRefreshDebug(result: RefreshResult): ResponseOf<typeof endpoints.refreshDebug> {
  return {
    environment: result.environment,
    success: result.success,
    error: result.errorCode,
    error_description: errorDescription(result),
    diagnosis: result.diagnosis,
    request: result.request,
    response: result.response,
    duration_ms: result.durationMs,
    access_token_expires_at: result.accessExpiresAt?.toISOString() ?? null,
  };
}
