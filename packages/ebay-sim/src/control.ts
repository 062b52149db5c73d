import { DEFAULT_GRANT_SCOPES, parseScopes, type SimContext } from './context.ts';
import type { SimCounters } from './counters.ts';
import type { FailKind, FaultRates } from './faults.ts';
import { type DeletionDelivery, type DeletionInput, sendDeletionNotification } from './notifications.ts';
import type { Seller, SimSnapshot } from './store.ts';
import { hex, newUserId } from './tokenMaterial.ts';
import { type GrantResponse, grantResponse } from './tokenRoute.ts';

/**
 * The test-and-demo handle on the sim. The same operations are served as JSON under
 * `/__sim/*` (controlRoutes.ts) for other processes. Invalid input throws RangeError.
 */

export type IssueGrantInput = {
  /** An existing username reuses that seller; a new one creates it; none: always a new seller. */
  username?: string;
  /** Creates the seller with this id if unknown; with `username`, renames an existing one. */
  userId?: string;
  scopes?: readonly string[];
  /** Life of this first access token only; refreshes use the sim-wide TTL. */
  accessExpiresInSeconds?: number;
  /** Negative or zero seeds an already expired refresh token. */
  refreshExpiresInSeconds?: number;
};

export type IssuedGrant = GrantResponse & { user_id: string; username: string };

export interface SimControl {
  setRedirectUrls(acceptUrl: string, declineUrl?: string): void;
  setLatency(ms: number): void;
  setFaults(rates: Partial<FaultRates>): void;
  failNext(kind: FailKind, count?: number): void;
  issueGrant(input?: IssueGrantInput): IssuedGrant;
  /** Revokes every grant of the seller (like a password change); returns how many. */
  revokeUser(userId: string): number;
  revokeRefreshToken(refreshToken: string): boolean;
  /** Expires the seller's access tokens now (the Sell API then answers 401, errorId 1001); returns how many. */
  expireAccessTokens(userId: string): number;
  renameUser(userId: string, username: string): boolean;
  sellers(): Seller[];
  counters(): SimCounters;
  resetCounters(): void;
  /** Every token and code the sim issued, its client secret and the Basic credential. */
  issuedSecrets(): string[];
  /** Clears faults (rates and queued failures) and latency; keeps sellers and tokens. */
  reset(): void;
  /** Sellers and grants, for an embedded simulator that must survive a restart. */
  exportState(): SimSnapshot;
  importState(snapshot: SimSnapshot): void;
  /** Sends a signed MARKETPLACE_ACCOUNT_DELETION for the seller to `url`, as eBay would; the endpoint's status. */
  sendAccountDeletion(input: DeletionInput): Promise<DeletionDelivery>;
  /** The next `count` public_key calls answer 503 (eBay down during verification). */
  failPublicKeyCalls(count: number): void;
  /** The Notification API key id the sim signs with. */
  notificationKid(): string;
}

export function createSimControl(ctx: SimContext): SimControl {
  return {
    setRedirectUrls(acceptUrl, declineUrl) {
      ctx.settings.acceptUrl = acceptUrl;
      ctx.settings.declineUrl = declineUrl ?? acceptUrl;
    },
    setLatency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('latency must be a number of ms >= 0');
      ctx.settings.latencyMs = ms;
    },
    setFaults: (rates) => ctx.faults.setFaults(rates),
    failNext: (kind, count) => ctx.faults.failNext(kind, count),
    issueGrant: (input = {}) => issueGrant(ctx, input),
    revokeUser: (userId) => ctx.store.revokeUser(userId),
    expireAccessTokens: (userId) => ctx.store.expireAccessTokens(userId),
    exportState: () => ctx.store.snapshot(),
    importState: (snapshot) => ctx.store.restore(snapshot),
    revokeRefreshToken: (refreshToken) => ctx.store.revokeRefreshToken(refreshToken),
    renameUser: (userId, username) => ctx.store.renameSeller(userId, username),
    sellers: () => ctx.store.sellers().map((s) => ({ ...s })),
    counters: () => ctx.counters.snapshot(),
    resetCounters: () => ctx.counters.reset(),
    issuedSecrets: () => ctx.store.issuedSecrets(),
    sendAccountDeletion: (input) => sendDeletionNotification(ctx, input),
    failPublicKeyCalls(count) {
      ctx.notifications.failPublicKeyCalls = Math.max(0, Math.floor(count));
    },
    notificationKid: () => ctx.notifications.kid,
    reset() {
      ctx.faults.reset();
      ctx.settings.latencyMs = 0;
    },
  };
}

function issueGrant(ctx: SimContext, input: IssueGrantInput): IssuedGrant {
  const scopes = input.scopes ? parseScopes(input.scopes.join(' ')) : [...DEFAULT_GRANT_SCOPES];
  if (!scopes) throw new RangeError('scopes must be eBay API scopes (https://api.ebay.com/oauth/api_scope…)');
  // Without a username or userId, always a new seller: reusing a seller by a random short name
  // made two "new" grants the same seller now and then (the connector then, rightly, stored one
  // account, not two).
  const seller = ctx.store.findOrCreateSeller(
    input.username ?? `seller_${hex(4)}`,
    input.userId ?? (input.username ? undefined : newUserId()),
  );
  if (input.username && seller.username !== input.username)
    ctx.store.renameSeller(seller.userId, input.username);
  const grant = ctx.store.createGrant(
    seller.userId,
    scopes,
    input.refreshExpiresInSeconds ?? ctx.config.refreshTokenTtlSeconds,
  );
  const body = grantResponse(ctx, grant, input.accessExpiresInSeconds ?? ctx.config.accessTokenTtlSeconds);
  return { ...body, user_id: seller.userId, username: seller.username };
}
