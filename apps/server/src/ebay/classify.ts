import type { CapturedExchange } from './httpCapture.ts';

/**
 * Turns one captured token-endpoint exchange into an outcome the refresh core can act
 * on. `transient` decides retry-with-backoff versus "a human must act" (reconnect,
 * fix credentials), so every eBay answer must land in exactly one class.
 */

export type EbayErrorCode =
  | 'invalid_grant'
  | 'invalid_client'
  | 'invalid_scope'
  | 'invalid_request'
  | 'rate_limited'
  | 'ebay_unavailable'
  | 'network_error'
  | 'timeout';

export type TokenSuccess = {
  ok: true;
  accessToken: string;
  expiresIn: number;
  /** eBay normally sends none on refresh; when it does, it must be stored. */
  refreshToken?: string;
  refreshTokenExpiresIn?: number;
  tokenType: string;
};

export type TokenFailure = {
  ok: false;
  code: EbayErrorCode;
  message: string;
  retryAfterSeconds?: number;
  transient: boolean;
};

export type TokenOutcome = TokenSuccess | TokenFailure;

/** eBay's OAuth error names and what each means for us. */
const OAUTH_ERRORS: Record<string, EbayErrorCode> = {
  invalid_grant: 'invalid_grant',
  invalid_client: 'invalid_client',
  invalid_scope: 'invalid_scope',
  invalid_request: 'invalid_request',
  unsupported_grant_type: 'invalid_request',
};

function parseJsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

/** Retry-After is delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function failure(code: EbayErrorCode, message: string, transient: boolean): TokenFailure {
  return { ok: false, code, message, transient };
}

function classifySuccess(status: number, json: Record<string, unknown> | null): TokenOutcome {
  const accessToken = json?.access_token;
  if (typeof accessToken !== 'string' || !accessToken) {
    return failure('ebay_unavailable', `HTTP ${status} without an access_token in the body`, true);
  }
  const outcome: TokenSuccess = {
    ok: true,
    accessToken,
    expiresIn: Number(json?.expires_in) || 0,
    tokenType: typeof json?.token_type === 'string' ? json.token_type : '',
  };
  if (typeof json?.refresh_token === 'string' && json.refresh_token)
    outcome.refreshToken = json.refresh_token;
  if (typeof json?.refresh_token_expires_in === 'number')
    outcome.refreshTokenExpiresIn = json.refresh_token_expires_in;
  return outcome;
}

export function classifyTokenResponse(exchange: CapturedExchange): TokenOutcome {
  const { error, response } = exchange;
  if (error?.kind === 'timeout') return failure('timeout', `eBay did not answer: ${error.message}`, true);
  if (error || !response) return failure('network_error', error?.message ?? 'no response from eBay', true);

  const status = response.status_code;
  const json = parseJsonObject(response.body);
  if (status >= 200 && status < 300) return classifySuccess(status, json);
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
    const outcome = failure('rate_limited', 'HTTP 429: eBay rate limit reached', true);
    return retryAfterSeconds === undefined ? outcome : { ...outcome, retryAfterSeconds };
  }
  if (status >= 400 && status < 500 && json) {
    const oauthError = typeof json.error === 'string' ? json.error : '';
    const description = typeof json.error_description === 'string' ? json.error_description : '';
    const code = OAUTH_ERRORS[oauthError] ?? (status === 401 ? 'invalid_client' : 'invalid_request');
    // The code is shown beside the message everywhere (cards, tables, logs), so the message
    // names eBay's error only when the code does not already say it.
    const name = oauthError || `HTTP ${status}`;
    const why = description || snippet(response.body);
    return failure(code, name === code ? why : `${name}: ${why}`, false);
  }
  // 5xx, redirects, and HTML or other non-JSON bodies are eBay's edge having a bad moment.
  const kind = json ? 'JSON' : 'non-JSON';
  return failure(
    'ebay_unavailable',
    `HTTP ${status} ${response.reason} (${kind} body): ${snippet(response.body)}`,
    true,
  );
}
