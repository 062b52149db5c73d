import { createTokenCipher, generateKeySpec, parseKeyRing, type TokenCipher } from '../crypto/tokenCipher.ts';
import { buildCodeExchangeRequest, buildRefreshRequest } from './refreshRequest.ts';

const cipher = createTokenCipher(parseKeyRing(generateKeySpec('k1')));
const app = {
  tokenUrl: 'http://127.0.0.1:4001/identity/v1/oauth2/token',
  clientId: 'App-ID',
  clientSecret: 'PRD-s3cret',
};
/** Holds every character that breaks when a token is not form-encoded. */
const REFRESH_TOKEN = 'v^1.1#i^1#p^3#r^1#I^3#f^0#t^Ul4x+ab/cd=';
const SCOPES = [
  'https://api.ebay.com/oauth/api_scope',
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
];

function build(storedRefreshToken: string, withCipher: Pick<TokenCipher, 'decryptToken'> = cipher) {
  return buildRefreshRequest({ ...app, storedRefreshToken, scopes: SCOPES, cipher: withCipher });
}

describe('buildRefreshRequest', () => {
  it('builds eBay’s exact refresh request from the stored ciphertext', () => {
    const result = build(cipher.encrypt(REFRESH_TOKEN));
    expect(result).toEqual({
      ok: true,
      request: {
        method: 'POST',
        url: app.tokenUrl,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${Buffer.from('App-ID:PRD-s3cret').toString('base64')}`,
        },
        body:
          'grant_type=refresh_token' +
          '&refresh_token=v%5E1.1%23i%5E1%23p%5E3%23r%5E1%23I%5E3%23f%5E0%23t%5EUl4x%2Bab%2Fcd%3D' +
          '&scope=https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope+https%3A%2F%2Fapi.ebay.com%2Foauth%2Fapi_scope%2Fsell.inventory',
      },
    });
  });

  it('round-trips the token through form decoding unchanged', () => {
    const result = build(cipher.encrypt(REFRESH_TOKEN));
    if (!result.ok) throw new Error(result.message);
    const form = new URLSearchParams(result.request.body);
    expect(form.get('refresh_token')).toBe(REFRESH_TOKEN);
    expect(form.get('scope')).toBe(SCOPES.join(' '));
  });

  it.each([
    ['a value stored in clear text', REFRESH_TOKEN, 'plaintext_legacy'],
    ['a double-encrypted value', cipher.encrypt(cipher.encrypt(REFRESH_TOKEN)), 'double_encrypted'],
    ['a value that is not an eBay token', cipher.encrypt('not-a-token'), 'not_an_ebay_token'],
    ['a value under an unknown key', cipher.encrypt(REFRESH_TOKEN).replace(':k1:', ':k9:'), 'unknown_key_id'],
    ['an empty value', '', 'malformed'],
  ])('returns decrypt_failed for %s, building no request', (_label, stored, diagnosis) => {
    const result = build(stored);
    expect(result).toMatchObject({ ok: false, code: 'decrypt_failed', diagnosis });
    expect(result).not.toHaveProperty('request');
  });

  it('decrypts exactly once and still refuses ENC: from a cipher that lets it through', () => {
    const decryptToken = vi.fn(() => ({ ok: true as const, plaintext: 'ENC:v1:k1:abcdef', keyId: 'k1' }));
    const result = build('ENC:v1:k1:whatever', { decryptToken });
    expect(decryptToken).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ ok: false, code: 'decrypt_failed', diagnosis: 'double_encrypted' });
  });
});

describe('buildCodeExchangeRequest', () => {
  it('form-encodes the once-decoded code exactly once and sends the RuName', () => {
    const code = 'v^1.1#i^1#f^0#I^3#r^1#p^3#t^Ab+c/d=';
    const request = buildCodeExchangeRequest({ ...app, code, ruName: 'Sim_App-SimApp-ebayco-abcdef' });
    expect(request.body).toBe(
      'grant_type=authorization_code&code=v%5E1.1%23i%5E1%23f%5E0%23I%5E3%23r%5E1%23p%5E3%23t%5EAb%2Bc%2Fd%3D' +
        '&redirect_uri=Sim_App-SimApp-ebayco-abcdef',
    );
    expect(request.headers).toMatchObject({ 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(request.headers.Authorization).toMatch(/^Basic /);
  });
});
