import type { Environment } from '@ebay-connector/contracts';

/** What the connect flow (connectFlow.ts, connectExchange.ts) takes and gives back. */

/** The org, environment and house name a connection is for, as bound to its `state`. */
export interface ConnectFlowScope {
  orgId: string;
  environment: Environment;
  houseName: string;
  /** A reconnect: the one account this flow may write (null: a new connection). */
  accountId: string | null;
}

/**
 * A reconnect where the seller signed in at eBay as someone else: nothing was stored. Who they
 * signed in as, and the org's account of that seller if there is one, let the page offer the
 * next step (reconnect again, or connect that seller as a new account).
 */
export interface WrongSeller {
  accountId: string;
  signedInAs: string;
  existingAccountId: string | null;
}

/**
 * Every outcome is a value: the callback route turns it into a redirect, never a 500. `code` is
 * ours (invalid_state, state_expired…), the refresh error codes, or eBay's own OAuth error
 * code as it sent it (access_denied…), so it stays a string.
 */
export type ConnectOutcome =
  | { ok: true; accountId: string; created: boolean; reconnected: boolean }
  | { ok: false; code: string; message: string; wrongSeller?: WrongSeller };
