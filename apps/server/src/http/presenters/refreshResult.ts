import type { endpoints, ResponseOf } from '@ebay-connector/contracts';
import { maskFreeText } from '../../logs/mask.ts';
import type { RefreshBusy, RefreshOutcome } from '../../tokens/refresh/refreshOutcome.ts';

/** A refresh the debug and manual routes answer for: busy is a 409 before it gets here. */
type AnsweredRefresh = Exclude<RefreshOutcome, RefreshBusy>;

const NOTHING_SENT = {
  error: null,
  error_description: null,
  diagnosis: null,
  request: null,
  response: null,
  duration_ms: 0,
} as const;

/** The debug terminal's view: the whole masked exchange, or null request/response when no HTTP was made. */
export function presentRefreshDebug(outcome: AnsweredRefresh): ResponseOf<typeof endpoints.refreshDebug> {
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

/** The manual button's view: the outcome and the new expiry, no transcript. */
export function presentManualRefresh(outcome: AnsweredRefresh): ResponseOf<typeof endpoints.manualRefresh> {
  const { success, error, error_description, access_token_expires_at } = presentRefreshDebug(outcome);
  return { success, error, error_description, access_token_expires_at };
}
