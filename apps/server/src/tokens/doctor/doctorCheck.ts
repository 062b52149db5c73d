import type { DecryptDiagnosis, TokenCipher } from '../../crypto/tokenCipher.ts';
import { checkTokenInvariants, ENC_PREFIX } from '../../crypto/tokenCipher.ts';

/**
 * What one stored token value is, decided without guessing: it decrypts (under which key),
 * or the exact diagnosis, plus, for the two kinds the repair may fix, the recovered token.
 * A value counts as recovered only when it passes the request builder's invariants
 * (non-empty, no `ENC:`, starts with `v^`), so a repair can never write something eBay
 * would reject for its shape.
 */

/** Layers of `ENC:` unwrapped at most (double encryption is one extra; more is not a guess, just rarer). */
const MAX_LAYERS = 4;

export type StoredTokenCheck =
  | { state: 'ok'; keyId: string; current: boolean; plaintext: string }
  | {
      state: DecryptDiagnosis;
      keyId: string | null;
      message: string;
      /** The token the repair can store instead (unwrap / encrypt_plaintext), when one is certain. */
      recovered: { plaintext: string; via: 'unwrap' | 'encrypt_plaintext' } | null;
    };

export function checkStoredToken(cipher: TokenCipher, stored: string): StoredTokenCheck {
  const result = cipher.decryptToken(stored);
  if (result.ok) {
    return {
      state: 'ok',
      keyId: result.keyId,
      current: result.keyId === cipher.currentKeyId,
      plaintext: result.plaintext,
    };
  }
  const failed = { state: result.diagnosis, keyId: result.keyId ?? null, message: result.message };
  if (result.diagnosis === 'plaintext_legacy') {
    const plain = checkTokenInvariants(stored, '');
    return plain.ok
      ? { ...failed, recovered: { plaintext: stored, via: 'encrypt_plaintext' } }
      : {
          ...failed,
          message: `stored without encryption, and not an eBay token either: ${plain.message}`,
          recovered: null,
        };
  }
  if (result.diagnosis === 'double_encrypted') return { ...failed, ...unwrap(cipher, stored) };
  return { ...failed, recovered: null };
}

/** Decrypts layer after layer; recovered only if every layer decrypts and the core is a valid token. */
function unwrap(
  cipher: TokenCipher,
  stored: string,
): { message: string; recovered: { plaintext: string; via: 'unwrap' } | null } {
  let value = stored;
  for (let layer = 1; layer <= MAX_LAYERS && value.startsWith(ENC_PREFIX); layer++) {
    const inner = cipher.decrypt(value);
    if (!inner.ok) {
      return {
        message: `encrypted more than once; layer ${layer} does not decrypt (${inner.diagnosis}): ${inner.message}`,
        recovered: null,
      };
    }
    value = inner.plaintext;
  }
  const core = checkTokenInvariants(value, '');
  if (!core.ok) {
    return {
      message: `encrypted more than once, and the innermost value is unusable: ${core.message}`,
      recovered: null,
    };
  }
  return {
    message: 'encrypted more than once; the inner value is a valid eBay token, so the repair unwraps it',
    recovered: { plaintext: value, via: 'unwrap' },
  };
}
