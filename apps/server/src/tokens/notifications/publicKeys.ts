import type { KeyObject } from 'node:crypto';
import type { AppContext } from '../../context.ts';
import { ebayEndpoints } from '../../ebay/endpoints.ts';
import { captureExchange } from '../../ebay/httpCapture.ts';
import { publicKeyFromPem } from '../../ebay/notificationSignature.ts';
import { getAppToken } from '../appToken/appToken.ts';

/**
 * The Notification API's public keys, `GET /commerce/notification/v1/public_key/{kid}` with the
 * application token, cached per kid for an hour. `unavailable`: eBay did not answer usefully
 * (the endpoint answers 503 so eBay retries); `unknown_kid`: eBay says there is no such key.
 */

const TTL_MS = 3_600_000;
/** A kid eBay does not know is remembered for 10 minutes: forged kids cost one eBay call each, not one per request. */
const UNKNOWN_TTL_MS = 600_000;
/** Bounded: random kids must not grow the cache without end (the oldest entry goes first). */
const MAX_ENTRIES = 1_000;
const cache = new Map<string, { key: KeyObject | null; until: number }>();

function remember(cacheKey: string, key: KeyObject | null, until: number): void {
  cache.delete(cacheKey);
  cache.set(cacheKey, { key, until });
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

const UNKNOWN_KID = {
  ok: false,
  reason: 'unknown_kid',
  message: 'eBay knows no public key with this kid',
} as const;

export type PublicKeyResult =
  | { ok: true; key: KeyObject }
  | { ok: false; reason: 'unavailable' | 'unknown_kid'; message: string };

export async function notificationPublicKey(ctx: AppContext, kid: string): Promise<PublicKeyResult> {
  const env = ctx.ebay.defaultEnvironment;
  const apiBase = ebayEndpoints(env, ctx.ebay.overrides).tokenUrl.replace(
    /\/identity\/v1\/oauth2\/token$/,
    '',
  );
  const cacheKey = `${apiBase}|${kid}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.until > ctx.now().getTime()) return hit.key ? { ok: true, key: hit.key } : UNKNOWN_KID;
  const token = await getAppToken(ctx, env);
  if (!token.ok) return { ok: false, reason: 'unavailable', message: `application token: ${token.message}` };
  const exchange = await captureExchange(
    {
      method: 'GET',
      url: `${apiBase}/commerce/notification/v1/public_key/${encodeURIComponent(kid)}`,
      headers: { Authorization: `Bearer ${token.accessToken}`, Accept: 'application/json' },
      body: '',
    },
    { timeoutMs: ctx.ebay.timeoutMs },
  );
  const res = exchange.response;
  if (!res) return { ok: false, reason: 'unavailable', message: exchange.error?.message ?? 'no answer' };
  if (res.status_code === 404) {
    remember(cacheKey, null, ctx.now().getTime() + UNKNOWN_TTL_MS);
    return UNKNOWN_KID;
  }
  if (res.status_code !== 200)
    return { ok: false, reason: 'unavailable', message: `HTTP ${res.status_code}` };
  try {
    const body = JSON.parse(res.body) as { key?: unknown };
    if (typeof body.key !== 'string') throw new RangeError('no key');
    const key = publicKeyFromPem(body.key);
    remember(cacheKey, key, ctx.now().getTime() + TTL_MS);
    return { ok: true, key };
  } catch {
    return { ok: false, reason: 'unavailable', message: 'eBay answered no readable public key' };
  }
}
