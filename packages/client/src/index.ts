import type { AccessTokenResponseBody, ServiceAccount, ServiceAccountsFilter } from './types.ts';

/**
 * `@ebay-connector/client`: the connector's service API (`/api/v1`) from TypeScript, with nothing
 * but `fetch`. `accounts()` lists the key's org's eBay accounts, `accessToken()` gives a valid
 * user access token (kept in memory until it nears expiry), and `ebayFetch()` calls an eBay API
 * through the connector's proxy, which adds the token and refreshes it if eBay refuses it.
 */

export type { AccessTokenResponseBody, ServiceAccount, ServiceAccountsFilter } from './types.ts';

export interface ClientOptions {
  /** The connector's origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** An API key (`ebc_…`, Admin → API keys) with the `tokens` and/or `proxy` scope. */
  apiKey: string;
  /** Another fetch (tests, instrumentation); the global one by default. */
  fetch?: typeof fetch;
  /** Clock of the token cache (tests). */
  now?: () => number;
}

export interface AccessToken {
  accessToken: string;
  expiresAt: Date;
  scopes: string[];
}

export interface EbayConnectorClient {
  accounts(filters?: ServiceAccountsFilter): Promise<ServiceAccount[]>;
  /** A token valid for at least `minValidSeconds` (default 300, at most 3,600). */
  accessToken(accountId: string, opts?: { minValidSeconds?: number }): Promise<AccessToken>;
  /**
   * An eBay API call through the connector: `path` as in eBay's documentation
   * (`sell/fulfillment/v1/order?limit=50`), `init` as for fetch. eBay's answer comes back as it
   * is, errors included (check `res.ok`); only the connector's own refusals throw.
   */
  ebayFetch(accountId: string, path: string, init?: RequestInit): Promise<Response>;
  /** Forgets the cached tokens (all, or one account's). */
  clearCache(accountId?: string): void;
}

/**
 * A refusal of the connector itself (not eBay's answer): `code` and `message` from its error
 * body (`api_key_invalid`, `not_found`, `needs_reconnect`, `ebay_unavailable`, `ebay_timeout`…),
 * the HTTP `status`, and `retryAfterSeconds` when it said when to try again.
 */
export class EbayConnectorError extends Error {
  override readonly name = 'EbayConnectorError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const DEFAULT_MIN_VALID_SECONDS = 300;

type ErrorBody = { error: { code: string; message: string } & Record<string, unknown> };

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as { error?: unknown } | null)?.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

async function toError(res: Response): Promise<EbayConnectorError> {
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not the connector's JSON (a load balancer's page): described by the status alone.
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  const retry = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  if (isErrorBody(body)) {
    const { code, message, ...details } = body.error;
    return new EbayConnectorError(code, message, res.status, details, retry);
  }
  return new EbayConnectorError('http_error', `the connector answered ${res.status}`, res.status, {}, retry);
}

export function createClient(options: ClientOptions): EbayConnectorClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const auth = { authorization: `Bearer ${options.apiKey}` };
  const cache = new Map<string, AccessToken>();
  const inFlight = new Map<string, Promise<AccessToken>>();

  const call = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = { ...auth, accept: 'application/json', ...(init.headers as Record<string, string>) };
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { ...init, headers });
    } catch (err) {
      throw new EbayConnectorError(
        'connector_unreachable',
        `the connector could not be reached: ${String(err)}`,
        0,
      );
    }
    if (!res.ok) throw await toError(res);
    return res;
  };

  const fetchToken = async (accountId: string, minValidSeconds: number): Promise<AccessToken> => {
    const res = await call(`/api/v1/ebay/accounts/${encodeURIComponent(accountId)}/access-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ min_valid_seconds: minValidSeconds }),
    });
    const body = (await res.json()) as AccessTokenResponseBody;
    const token = {
      accessToken: body.access_token,
      expiresAt: new Date(body.expires_at),
      scopes: body.scopes,
    };
    cache.set(accountId, token);
    return token;
  };

  return {
    async accounts(filters = {}) {
      const query = new URLSearchParams();
      if (filters.env) query.set('env', filters.env);
      if (filters.status) query.set('status', filters.status);
      const qs = query.toString();
      const res = await call(`/api/v1/ebay/accounts${qs ? `?${qs}` : ''}`);
      return ((await res.json()) as { accounts: ServiceAccount[] }).accounts;
    },

    async accessToken(accountId, opts = {}) {
      const minValidSeconds = opts.minValidSeconds ?? DEFAULT_MIN_VALID_SECONDS;
      const cached = cache.get(accountId);
      if (cached && cached.expiresAt.getTime() - now() >= minValidSeconds * 1000) return cached;
      // Callers in this process asking at once share one request.
      const key = `${accountId}:${minValidSeconds}`;
      const pending = inFlight.get(key);
      if (pending) return pending;
      const request = fetchToken(accountId, minValidSeconds).finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      try {
        return await request;
      } catch (err) {
        cache.delete(accountId);
        throw err;
      }
    },

    async ebayFetch(accountId, path, init = {}) {
      const rest = path.replace(/^\/+/, '');
      // fetch would resolve `..` itself and call another connector URL: refused here, as the proxy would.
      if ((rest.split('?')[0] ?? '').split('/').some((s) => s === '.' || s === '..')) {
        throw new EbayConnectorError(
          'invalid_proxy_path',
          `the eBay API path must not contain "." or "..": ${path}`,
          400,
        );
      }
      const url = `${base}/api/v1/ebay/proxy/${encodeURIComponent(accountId)}/${rest}`;
      const headers = { ...(init.headers as Record<string, string>), ...auth };
      let res: Response;
      try {
        res = await doFetch(url, { ...init, headers });
      } catch (err) {
        throw new EbayConnectorError(
          'connector_unreachable',
          `the connector could not be reached: ${String(err)}`,
          0,
        );
      }
      if (res.ok) return res;
      // The connector's refusals have its error body; eBay's errors (`{"errors": [...]}`) pass through.
      const body: unknown = await res
        .clone()
        .json()
        .catch(() => null);
      if (isErrorBody(body)) throw await toError(res);
      return res;
    },

    clearCache(accountId) {
      if (accountId === undefined) cache.clear();
      else cache.delete(accountId);
    },
  };
}
