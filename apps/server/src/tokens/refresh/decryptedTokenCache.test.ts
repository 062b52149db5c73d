import {
  createTokenCipher,
  generateKeySpec,
  parseKeyRing,
  type TokenCipher,
} from '../../crypto/tokenCipher.ts';
import { decryptAccessTokenCached } from './decryptedTokenCache.ts';

const token = (n: number) => `v^1.1#i^1#p^3#r^1#I^3#f^0#t^${'Ul4xMF8xOjQ2QkY'.repeat(5)}${n}=`;

/** The real cipher, counting its decryptions. */
function countingCipher(): { cipher: TokenCipher; decryptions: () => number } {
  const inner = createTokenCipher(parseKeyRing(generateKeySpec('k1')));
  let count = 0;
  const cipher: TokenCipher = {
    currentKeyId: inner.currentKeyId,
    keyIds: inner.keyIds,
    encrypt: (plain) => inner.encrypt(plain),
    decrypt: (stored) => inner.decrypt(stored),
    decryptToken: (stored) => {
      count += 1;
      return inner.decryptToken(stored);
    },
  };
  return { cipher, decryptions: () => count };
}

describe('decrypted access-token cache', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  const expires = new Date(now + 3_600_000);

  it('decrypts a stored token once, then answers from memory while it is unchanged', () => {
    const { cipher, decryptions } = countingCipher();
    const stored = cipher.encrypt(token(1));
    expect(decryptAccessTokenCached(cipher, 'a1', stored, expires, now)).toBe(token(1));
    expect(decryptAccessTokenCached(cipher, 'a1', stored, expires, now + 1000)).toBe(token(1));
    expect(decryptions()).toBe(1);
  });

  it('never answers a previous token once the stored value changed (refresh, re-encryption)', () => {
    const { cipher, decryptions } = countingCipher();
    expect(decryptAccessTokenCached(cipher, 'a1', cipher.encrypt(token(1)), expires, now)).toBe(token(1));
    expect(decryptAccessTokenCached(cipher, 'a1', cipher.encrypt(token(2)), expires, now)).toBe(token(2));
    // The same cleartext encrypted again (a new IV) is a new stored value: decrypted again.
    expect(decryptAccessTokenCached(cipher, 'a1', cipher.encrypt(token(2)), expires, now)).toBe(token(2));
    expect(decryptions()).toBe(3);
  });

  it('decrypts again once the token expired, keeps accounts apart and caches no failure', () => {
    const { cipher, decryptions } = countingCipher();
    const stored = cipher.encrypt(token(1));
    decryptAccessTokenCached(cipher, 'a1', stored, expires, now);
    expect(decryptAccessTokenCached(cipher, 'a1', stored, expires, expires.getTime())).toBe(token(1));
    expect(decryptions()).toBe(2);
    expect(decryptAccessTokenCached(cipher, 'a2', cipher.encrypt(token(7)), expires, now)).toBe(token(7));
    const other = countingCipher().cipher;
    // Another key ring (another context) shares nothing and cannot read this one's value.
    expect(decryptAccessTokenCached(other, 'a1', stored, expires, now)).toBeNull();
    expect(decryptAccessTokenCached(cipher, 'a3', 'ENC:v1:k1:AAAA', expires, now)).toBeNull();
    expect(decryptAccessTokenCached(cipher, 'a3', 'ENC:v1:k1:AAAA', expires, now)).toBeNull();
    expect(decryptions()).toBe(5);
  });
});
