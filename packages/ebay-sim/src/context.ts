import { CounterBook } from './counters.ts';
import { FaultInjector } from './faults.ts';
import { NotificationSigner } from './notifications.ts';
import { SimStore } from './store.ts';
import { newClientId, newClientSecret, newRuName } from './tokenMaterial.ts';

/** Everything a route needs: fixed app credentials, state, and the knobs tests turn. */

export type EbaySimOptions = {
  port?: number;
  /** Defaults to 127.0.0.1: the sim is never meant to be reachable from elsewhere. */
  host?: string;
  clientId?: string;
  clientSecret?: string;
  ruName?: string;
  /**
   * The secret every `/__sim/*` control request must send (`X-Sim-Control-Secret`); random per
   * start unless given, so only the process that started the sim (and whom it tells) can drive it.
   */
  controlSecret?: string;
  acceptUrl?: string;
  declineUrl?: string;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** Milliseconds since epoch; inject a controllable clock to expire tokens in tests. */
  now?: () => number;
  /** Randomness for rate-based faults; inject to make them deterministic. */
  random?: () => number;
};

export type SimConfig = {
  clientId: string;
  clientSecret: string;
  ruName: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
};

export type SimSettings = {
  latencyMs: number;
  /** Empty until set: consent then lands on the sim's own result page. */
  acceptUrl: string;
  declineUrl: string;
};

export type SimContext = {
  config: SimConfig;
  settings: SimSettings;
  store: SimStore;
  counters: CounterBook;
  faults: FaultInjector;
  notifications: NotificationSigner;
  now: () => number;
};

export const IDENTITY_SCOPE = 'https://api.ebay.com/oauth/api_scope/commerce.identity.readonly';
export const SCOPE_PREFIX = 'https://api.ebay.com/oauth/api_scope';

/** The scopes a seeded grant gets when the caller names none. */
export const DEFAULT_GRANT_SCOPES: readonly string[] = [
  'https://api.ebay.com/oauth/api_scope',
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
  'https://api.ebay.com/oauth/api_scope/sell.fulfillment',
  'https://api.ebay.com/oauth/api_scope/sell.account',
  IDENTITY_SCOPE,
];

export function createSimContext(opts: EbaySimOptions): SimContext {
  const now = opts.now ?? Date.now;
  const config: SimConfig = {
    clientId: opts.clientId ?? newClientId(),
    clientSecret: opts.clientSecret ?? newClientSecret(),
    ruName: opts.ruName ?? newRuName(),
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 7200,
    refreshTokenTtlSeconds: opts.refreshTokenTtlSeconds ?? 47_304_000,
  };
  const store = new SimStore(now);
  store.rememberSecret(config.clientSecret);
  // The Basic credential carries the secret in base64; a scan must find that too.
  store.rememberSecret(Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64'));
  const acceptUrl = opts.acceptUrl ?? '';
  return {
    config,
    settings: { latencyMs: 0, acceptUrl, declineUrl: opts.declineUrl ?? acceptUrl },
    store,
    counters: new CounterBook(),
    faults: new FaultInjector(opts.random),
    notifications: new NotificationSigner(),
    now,
  };
}

/** Splits a space-separated scope string; null when a scope is not an eBay API scope. */
export function parseScopes(scope: string | null): string[] | null {
  const scopes = (scope ?? '').split(/\s+/).filter(Boolean);
  if (scopes.length === 0) return null;
  return scopes.every((s) => s.startsWith(SCOPE_PREFIX)) ? scopes : null;
}
