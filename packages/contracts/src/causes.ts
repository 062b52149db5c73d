/**
 * What each terminal refresh failure asks of a person, in the words every view uses: the
 * Workers table and account page, the worker's log lines, the CLI. Transient codes have none:
 * the worker retries them by itself.
 */

/** Last error codes that only a reconnect by the seller fixes: every view offers Reconnect for them. */
export const RECONNECT_ERROR_CODES: readonly string[] = [
  'invalid_grant',
  'refresh_token_expired',
  'missing_scopes',
];

/**
 * Codes after which the account becomes `needs_reconnect`: the worker does not try it again
 * until it is reconnected (the other terminal codes are checked again every few hours).
 */
export const PARKING_ERROR_CODES: readonly string[] = ['invalid_grant', 'refresh_token_expired'];

const ACTION_NEEDED: Record<string, string> = {
  invalid_grant: 'reconnect needed',
  refresh_token_expired: 'reconnect needed',
  missing_scopes: 'reconnect needed (to grant the missing scopes)',
  decrypt_failed: 'see the token doctor',
  invalid_client: "check the app's eBay credentials",
  invalid_scope: 'check EBAY_SCOPES',
  invalid_request: 'check the app configuration',
};

/** "reconnect needed", "see the token doctor", …; null when the worker retries by itself. */
export function actionNeeded(code: string | null | undefined): string | null {
  return (code && ACTION_NEEDED[code]) || null;
}

/**
 * A stored message without a leading "<code>: ": every view shows the code beside the message,
 * and rows written before the classifier stopped prefixing it would read "invalid_grant: invalid_grant: …".
 */
export function messageWithoutCode(code: string | null | undefined, message: string): string {
  return code && message.startsWith(`${code}: `) ? message.slice(code.length + 2) : message;
}
