import type { ConnectOutcome } from '../../tokens/connect/connectOutcome.ts';

/**
 * Where the OAuth callback sends the browser: the Accounts page with `connected=<id>`, or
 * `connect_error=<code>&message=…` for every failure (declined consent, a replayed or
 * foreign state, eBay errors).
 */
export function connectResultUrl(uiBaseUrl: string, outcome: ConnectOutcome): string {
  const url = new URL('/accounts', uiBaseUrl);
  if (outcome.ok) {
    url.searchParams.set('connected', outcome.accountId);
  } else {
    url.searchParams.set('connect_error', outcome.code);
    url.searchParams.set('message', outcome.message.slice(0, 300));
  }
  return url.toString();
}
