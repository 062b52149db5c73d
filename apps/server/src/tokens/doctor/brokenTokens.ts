import { randomBytes } from 'node:crypto';
import { createTokenCipher, type DecryptDiagnosis, type TokenCipher } from '../../crypto/tokenCipher.ts';

/**
 * Reproduces, on purpose, every way a stored token was broken in the seed incident:
 * for the demo data (so the first login shows the doctor something true) and for tests.
 */
export function makeBrokenValue(cipher: TokenCipher, plaintext: string, kind: DecryptDiagnosis): string {
  switch (kind) {
    case 'unknown_key_id':
      // Encrypted under a key that has since been retired from TOKEN_ENCRYPTION_KEYS.
      return createTokenCipher([{ id: 'retired2024', key: randomBytes(32) }]).encrypt(plaintext);
    case 'auth_failed': {
      // Flip a character inside the tag. Not the last one: its low bits can be base64 padding,
      // and changing only those would leave the bytes (and the decryption) intact.
      const good = cipher.encrypt(plaintext);
      const flipped = good.at(-2) === 'A' ? 'B' : 'A';
      return `${good.slice(0, -2)}${flipped}${good.slice(-1)}`;
    }
    case 'malformed':
      return 'ENC:v1:garbage';
    case 'double_encrypted':
      return cipher.encrypt(cipher.encrypt(plaintext));
    case 'not_an_ebay_token':
      return cipher.encrypt(`Bearer ${plaintext.slice(2)}`);
    case 'plaintext_legacy':
      return plaintext;
  }
}
