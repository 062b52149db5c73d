import { parseRetryAfter } from './classify.ts';
import { type CapturedExchange, type CaptureOptions, captureExchange } from './httpCapture.ts';

/**
 * eBay's Identity API: who is the seller behind an access token. Accounts are keyed on
 * `userId` (immutable); `username` can change and is only for display.
 */

export type EbayUser = { userId: string; username: string };

/**
 * What an account may store of eBay's answer (eBay's own limits are smaller: usernames are
 * 6–64 characters). An answer past them is refused, not cut: the user id is the account's key
 * (a cut one could merge two sellers) and the username names who signed in (a cut one would
 * name someone else). The connection fails with `invalid_identity` and says why.
 */
export const EBAY_USER_ID_MAX_LENGTH = 128;
export const EBAY_USERNAME_MAX_LENGTH = 64;

export type IdentityErrorCode =
  | 'invalid_access_token'
  | 'invalid_identity'
  | 'missing_scopes'
  | 'rate_limited'
  | 'ebay_unavailable'
  | 'network_error'
  | 'timeout';

export type IdentityError = {
  code: IdentityErrorCode;
  message: string;
  transient: boolean;
  retryAfterSeconds?: number;
};

export type GetUserResult =
  | { exchange: CapturedExchange; user: EbayUser }
  | { exchange: CapturedExchange; user: null; error: IdentityError };

export async function getUser(
  identityUserUrl: string,
  accessToken: string,
  opts: CaptureOptions,
): Promise<GetUserResult> {
  const exchange = await captureExchange(
    {
      method: 'GET',
      url: identityUserUrl,
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      body: '',
    },
    opts,
  );
  const user = exchange.response?.status_code === 200 ? parseUser(exchange.response.body) : null;
  if (user) {
    const problem = implausibleUser(user);
    if (!problem) return { exchange, user };
    return { exchange, user: null, error: { code: 'invalid_identity', message: problem, transient: false } };
  }
  return { exchange, user: null, error: classifyIdentityFailure(exchange) };
}

function implausibleUser(user: EbayUser): string | null {
  const controls = /[\p{Cc}\p{Cf}]/u;
  if (user.userId.length > EBAY_USER_ID_MAX_LENGTH || controls.test(user.userId))
    return `eBay's Identity API sent a userId of ${user.userId.length} characters (at most ${EBAY_USER_ID_MAX_LENGTH}, no control characters); nothing was stored`;
  if (user.username.length > EBAY_USERNAME_MAX_LENGTH || controls.test(user.username))
    return `eBay's Identity API sent a username of ${user.username.length} characters (at most ${EBAY_USERNAME_MAX_LENGTH}, no control characters); nothing was stored`;
  return null;
}

function parseUser(body: string): EbayUser | null {
  try {
    const json = JSON.parse(body) as { userId?: unknown; username?: unknown };
    if (typeof json.userId === 'string' && json.userId && typeof json.username === 'string') {
      return { userId: json.userId, username: json.username };
    }
  } catch {
    // An unparsable 200 is reported as ebay_unavailable below.
  }
  return null;
}

/** eBay API errors look like `{"errors":[{"errorId":1001,"message":"Invalid access token",…}]}`. */
function firstApiErrorMessage(body: string): string | null {
  try {
    const json = JSON.parse(body) as { errors?: Array<{ message?: unknown; longMessage?: unknown }> };
    const first = json.errors?.[0];
    const message = first?.longMessage ?? first?.message;
    return typeof message === 'string' ? message : null;
  } catch {
    return null;
  }
}

function classifyIdentityFailure(exchange: CapturedExchange): IdentityError {
  const { error, response } = exchange;
  if (error?.kind === 'timeout') return { code: 'timeout', message: error.message, transient: true };
  if (error || !response) {
    return { code: 'network_error', message: error?.message ?? 'no response from eBay', transient: true };
  }
  const status = response.status_code;
  const detail = firstApiErrorMessage(response.body) ?? `HTTP ${status} ${response.reason}`;
  if (status === 401) return { code: 'invalid_access_token', message: detail, transient: false };
  if (status === 403) return { code: 'missing_scopes', message: detail, transient: false };
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
    const base: IdentityError = { code: 'rate_limited', message: detail, transient: true };
    return retryAfterSeconds === undefined ? base : { ...base, retryAfterSeconds };
  }
  const message = status === 200 ? 'HTTP 200 without a userId in the body' : detail;
  return { code: 'ebay_unavailable', message, transient: true };
}
