import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The token vault: AES-256-GCM with a key ring.
 * Format: `ENC:v1:<key id>:<base64url(12-byte IV || ciphertext || 16-byte tag)>`.
 * The first key of the ring encrypts; every key decrypts, so rotation is "add a new
 * first key, re-encrypt, retire the old one".
 * Decryption failures are diagnosed, never guessed.
 */

export type DecryptDiagnosis =
  | 'unknown_key_id'
  | 'auth_failed'
  | 'malformed'
  | 'double_encrypted'
  | 'not_an_ebay_token'
  | 'plaintext_legacy';

export type DecryptResult =
  | { ok: true; plaintext: string; keyId: string }
  | { ok: false; diagnosis: DecryptDiagnosis; message: string; keyId?: string };

export interface TokenCipher {
  /** Id of the key that encrypts new values. */
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
  encrypt(plain: string): string;
  /** One decryption of a stored value, no token invariants. */
  decrypt(stored: string): DecryptResult;
  /** Exactly one decryption, then the token invariants: non-empty, no `ENC:`, starts with `v^`. */
  decryptToken(stored: string): DecryptResult;
}

export const ENC_PREFIX = 'ENC:';
const FORMAT = /^ENC:v1:([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_-]+)$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type KeyRing = ReadonlyArray<{ id: string; key: Buffer }>;

/** Parses `kid:base64key,kid2:base64key2`; throws a message naming what is wrong. */
export function parseKeyRing(spec: string): KeyRing {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('no keys given; expected "kid:base64key[,kid:base64key…]"');
  const seen = new Set<string>();
  return entries.map((entry) => {
    const sep = entry.indexOf(':');
    const id = entry.slice(0, sep);
    if (sep <= 0 || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      throw new Error(`key "${entry.slice(0, 12)}…" has no valid id; expected "kid:base64key"`);
    }
    if (seen.has(id)) throw new Error(`key id "${id}" appears twice`);
    seen.add(id);
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (key.length !== 32)
      throw new Error(`key "${id}" must be 32 bytes of base64 (got ${key.length} bytes)`);
    return { id, key };
  });
}

export function generateKeySpec(
  id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`,
): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export function createTokenCipher(ring: KeyRing): TokenCipher {
  const first = ring[0];
  if (!first) throw new Error('the key ring is empty');
  const keys = new Map(ring.map((k) => [k.id, k.key]));

  function encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', first!.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const payload = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    return `${ENC_PREFIX}v1:${first!.id}:${payload}`;
  }

  function decrypt(stored: string): DecryptResult {
    if (!stored) return { ok: false, diagnosis: 'malformed', message: 'the stored value is empty' };
    if (!stored.startsWith(ENC_PREFIX)) {
      return {
        ok: false,
        diagnosis: 'plaintext_legacy',
        message: 'the value is stored without encryption (no ENC: prefix); the repair encrypts it',
      };
    }
    const match = FORMAT.exec(stored);
    if (!match)
      return {
        ok: false,
        diagnosis: 'malformed',
        message: 'the value is not in ENC:v1:<kid>:<payload> form',
      };
    const keyId = match[1]!;
    const key = keys.get(keyId);
    if (!key) {
      return {
        ok: false,
        diagnosis: 'unknown_key_id',
        keyId,
        message: `encrypted with key "${keyId}", which is not in the key ring (known: ${[...keys.keys()].join(', ')})`,
      };
    }
    const raw = Buffer.from(match[2]!, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) {
      return {
        ok: false,
        diagnosis: 'malformed',
        keyId,
        message: 'the payload is too short to hold IV and tag',
      };
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return { ok: true, plaintext: plain.toString('utf8'), keyId };
    } catch {
      return {
        ok: false,
        diagnosis: 'auth_failed',
        keyId,
        message: `authentication failed under key "${keyId}": the key is wrong or the value is corrupted`,
      };
    }
  }

  function decryptToken(stored: string): DecryptResult {
    const result = decrypt(stored);
    if (!result.ok) return result;
    return checkTokenInvariants(result.plaintext, result.keyId);
  }

  return { currentKeyId: first.id, keyIds: ring.map((k) => k.id), encrypt, decrypt, decryptToken };
}

/** The request builder's invariants on a decrypted value. */
export function checkTokenInvariants(plaintext: string, keyId: string): DecryptResult {
  if (!plaintext) return { ok: false, diagnosis: 'malformed', keyId, message: 'decrypted to an empty value' };
  if (plaintext.startsWith(ENC_PREFIX)) {
    return {
      ok: false,
      diagnosis: 'double_encrypted',
      keyId,
      message: 'decrypted to another ENC: value: the token was encrypted twice',
    };
  }
  if (!plaintext.startsWith('v^')) {
    return {
      ok: false,
      diagnosis: 'not_an_ebay_token',
      keyId,
      message: `decrypted to a value that does not look like an eBay token (starts with "${plaintext.slice(0, 2)}", expected "v^")`,
    };
  }
  return { ok: true, plaintext, keyId };
}
