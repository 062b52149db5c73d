import type { ConnectOutcome } from '../../tokens/connect/connectOutcome.ts';

/**
 * Where the OAuth callback sends the browser: the Accounts page with `connected=<id>`, or
 * `connect_error=<code>` for every failure (declined consent, a replayed or foreign state,
 * eBay errors). No free text: anyone can craft this URL, so the page shows its own text for
 * the code, and the full message is in the `connect_failed` log entry. A reconnect says so
 * (`reconnected=1`); a reconnect signed by another seller (`wrong_seller`) names the account,
 * who signed in, and that seller's account here if it has one, so the page can offer the next step.
 */
export function connectResultUrl(uiBaseUrl: string, outcome: ConnectOutcome): string {
  const url = new URL('/accounts', uiBaseUrl);
  if (outcome.ok) {
    url.searchParams.set('connected', outcome.accountId);
    if (outcome.reconnected) url.searchParams.set('reconnected', '1');
  } else {
    url.searchParams.set('connect_error', outcome.code);
    if (outcome.wrongSeller) {
      url.searchParams.set('account', outcome.wrongSeller.accountId);
      url.searchParams.set('signed_in_as', outcome.wrongSeller.signedInAs);
      if (outcome.wrongSeller.existingAccountId)
        url.searchParams.set('existing', outcome.wrongSeller.existingAccountId);
    }
  }
  return url.toString();
}
