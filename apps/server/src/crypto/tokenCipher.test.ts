import { createTokenCipher, generateKeySpec, parseKeyRing } from './tokenCipher.ts';

const TOKEN = `v^1.1#i^1#p^3#r^1#I^3#f^0#t^${'Ul4xMF8xOjQ2QkY'.repeat(20)}=`;

describe('token vault', () => {
  const ring = parseKeyRing(`${generateKeySpec('k2')},${generateKeySpec('k1')}`);
  const cipher = createTokenCipher(ring);

  it('round-trips a token under the first key and never stores it in clear', () => {
    const stored = cipher.encrypt(TOKEN);
    expect(stored).toMatch(/^ENC:v1:k2:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain('v^1.1');
    expect(cipher.decryptToken(stored)).toEqual({ ok: true, plaintext: TOKEN, keyId: 'k2' });
  });

  it('uses a fresh IV each time', () => {
    expect(cipher.encrypt(TOKEN)).not.toBe(cipher.encrypt(TOKEN));
  });

  it('decrypts values under an older key of the ring', () => {
    const old = createTokenCipher([ring[1]!]).encrypt(TOKEN);
    expect(cipher.decryptToken(old)).toMatchObject({ ok: true, keyId: 'k1' });
  });

  it('diagnoses a tampered value as auth_failed', () => {
    const stored = cipher.encrypt(TOKEN);
    const tampered = stored.slice(0, -3) + (stored.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(cipher.decryptToken(tampered)).toMatchObject({ ok: false, diagnosis: 'auth_failed' });
  });

  it('diagnoses a value under a different key with the same id as auth_failed', () => {
    const other = createTokenCipher(parseKeyRing(generateKeySpec('k2')));
    expect(cipher.decryptToken(other.encrypt(TOKEN))).toMatchObject({ ok: false, diagnosis: 'auth_failed' });
  });

  it('names an unknown key id and the known ones', () => {
    const other = createTokenCipher(parseKeyRing(generateKeySpec('retired')));
    const result = cipher.decryptToken(other.encrypt(TOKEN));
    expect(result).toMatchObject({ ok: false, diagnosis: 'unknown_key_id', keyId: 'retired' });
    expect(!result.ok && result.message).toContain('k2, k1');
  });

  it('diagnoses a double-encrypted token', () => {
    expect(cipher.decryptToken(cipher.encrypt(cipher.encrypt(TOKEN)))).toMatchObject({
      ok: false,
      diagnosis: 'double_encrypted',
    });
  });

  it('diagnoses a value that is not an eBay token', () => {
    expect(cipher.decryptToken(cipher.encrypt('hello'))).toMatchObject({
      ok: false,
      diagnosis: 'not_an_ebay_token',
    });
  });

  it('diagnoses plaintext and malformed values', () => {
    expect(cipher.decryptToken(TOKEN)).toMatchObject({ ok: false, diagnosis: 'plaintext_legacy' });
    expect(cipher.decryptToken('ENC:v1:k2')).toMatchObject({ ok: false, diagnosis: 'malformed' });
    expect(cipher.decryptToken('ENC:v1:k2:AAAA')).toMatchObject({ ok: false, diagnosis: 'malformed' });
    expect(cipher.decryptToken('')).toMatchObject({ ok: false, diagnosis: 'malformed' });
  });

  it('rejects bad key specs with a clear message', () => {
    expect(() => parseKeyRing('')).toThrow(/no keys/);
    expect(() => parseKeyRing('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseKeyRing('nokey')).toThrow(/valid id/);
    const spec = generateKeySpec('a');
    expect(() => parseKeyRing(`${spec},${spec}`)).toThrow(/twice/);
  });
});
