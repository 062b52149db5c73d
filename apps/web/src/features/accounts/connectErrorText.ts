/**
 * What the Accounts page says for a `connect_error` code of the OAuth callback (docs/API.md).
 * The page never shows text from the URL: anyone can craft a link to `/accounts?connect_error=…`,
 * so only these texts, chosen here, appear in the banner; an unknown code gets the generic one.
 * The full message of a failure is in the `connect_failed` entry of the terminal.
 */
const CONNECT_ERROR_TEXT: Record<string, string> = {
  access_denied: 'The seller declined to grant access at eBay.',
  invalid_state:
    'This connection attempt is unknown, was used already, or belongs to another session. Start it again.',
  state_expired: 'The connection took longer than 10 minutes. Start it again.',
  invalid_request: 'eBay’s answer was incomplete or malformed. Start the connection again.',
  invalid_grant: 'eBay refused the authorization code (expired or used already). Start the connection again.',
  invalid_client: 'eBay refused this application’s credentials. Check EBAY_CLIENT_ID and EBAY_CLIENT_SECRET.',
  invalid_scope: 'eBay refused the scopes this application asks for. Check EBAY_SCOPES.',
  missing_scopes: 'The grant lacks a scope this application needs. Connect again and accept every scope.',
  invalid_identity:
    'eBay’s answer about who the seller is was implausible (a name too long or with control characters). Nothing was stored.',
  invalid_access_token: 'eBay did not accept the new access token when asked who the seller is. Try again.',
  ebay_unavailable: 'eBay is unavailable right now. Try again in a few minutes.',
  rate_limited: 'eBay is limiting requests right now. Try again in a few minutes.',
  timeout: 'eBay did not answer in time. Try again.',
  network_error: 'eBay could not be reached. Try again.',
  internal_error: 'The server could not complete the connection; its log has the details.',
};

export const GENERIC_CONNECT_ERROR_TEXT =
  'eBay did not complete the connection. The terminal’s connect log has the details.';

export function connectErrorText(code: string): string {
  return Object.hasOwn(CONNECT_ERROR_TEXT, code) ? CONNECT_ERROR_TEXT[code]! : GENERIC_CONNECT_ERROR_TEXT;
}

/** A code as shown next to the text: only a plain code, never arbitrary URL text. */
export function shownCode(code: string): string | null {
  return /^[a-z_]{1,64}$/.test(code) ? code : null;
}

/** The eBay username from `signed_in_as`, only if it looks like one (letters, digits, . _ - *; at most 64). */
export function shownEbayUsername(value: string | null): string | null {
  return value && /^[A-Za-z0-9._*-]{1,64}$/.test(value) ? value : null;
}
