import type { TokenCipher } from '../../crypto/tokenCipher.ts';

/**
 * The service API's hot path (the access-token endpoint and the eBay API proxy) decrypts the same
 * stored access token on every call until it is refreshed. This keeps the cleartext of the latest
 * stored value per account in memory, keyed by the stored (encrypted) value itself: a refresh, a
 * re-encryption under a new key or a repair stores a new value (a fresh IV every time), so a
 * stale entry can never answer. Entries are dropped once their token expires and the map is
 * bounded (oldest first). Per cipher (one per process; tests build several). Nothing here is
 * logged or serialised.
 */

const MAX_ENTRIES = 10_000;

interface Entry {
  stored: string;
  plaintext: string;
  expiresAtMs: number;
}

const caches = new WeakMap<TokenCipher, Map<string, Entry>>();

/**
 * The cleartext of `stored` (the account's encrypted access token, valid until `expiresAt`), or
 * null when it does not decrypt to a token (not cached: the caller's slow path diagnoses it).
 */
export function decryptAccessTokenCached(
  cipher: TokenCipher,
  accountId: string,
  stored: string,
  expiresAt: Date,
  nowMs: number,
): string | null {
  let cache = caches.get(cipher);
  if (!cache) {
    cache = new Map();
    caches.set(cipher, cache);
  }
  const hit = cache.get(accountId);
  if (hit && hit.stored === stored && hit.expiresAtMs > nowMs) return hit.plaintext;
  const decrypted = cipher.decryptToken(stored);
  if (!decrypted.ok) {
    cache.delete(accountId);
    return null;
  }
  cache.delete(accountId);
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(accountId, { stored, plaintext: decrypted.plaintext, expiresAtMs: expiresAt.getTime() });
  return decrypted.plaintext;
}
