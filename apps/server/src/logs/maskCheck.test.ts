import { maskExchange } from './mask.ts';
import { isMaskedExchange } from './maskCheck.ts';

const REFRESH = `v^1.1#i^1#p^3#r^1#I^3#f^0#t^${'Ul4xMF8xOjQ2QkY'.repeat(8)}+abc/Ul4x=`;
const ACCESS = `v^1.1#i^1#f^0#p^3#I^3#r^0#t^${'H4sIAAAAAAAAAO1Z'.repeat(40)}==`;
const SECRET = 'PRD-4b8a9c1d2e3f-0a1b-2c3d';
const CLIENT_ID = 'SimApp-ebayconn-PRD-1a2b3c';
const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`;

/** A refresh exchange as captured, before any masking. */
function rawExchange(refreshToken = REFRESH) {
  return {
    request: {
      method: 'POST',
      url: 'https://api.ebay.com/identity/v1/oauth2/token',
      headers: { Authorization: BASIC, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}&scope=${encodeURIComponent('https://api.ebay.com/oauth/api_scope')}`,
    },
    response: {
      status_code: 200,
      reason: 'OK',
      headers: { 'content-type': 'application/json', rlogid: 't6ldssk67%3D9' },
      body: JSON.stringify({ access_token: ACCESS, expires_in: 7200, token_type: 'User Access Token' }),
    },
  };
}

describe('isMaskedExchange: the cheap check before masking a stored transcript again', () => {
  it('vouches for a transcript masked when written, which masking again leaves as it is', () => {
    const stored = maskExchange(rawExchange(), { clientSecret: SECRET });
    expect(isMaskedExchange(stored, SECRET)).toBe(true);
    expect(isMaskedExchange({ request: null, response: null }, SECRET)).toBe(true);
    const again = maskExchange(stored, { clientSecret: SECRET });
    expect(again.response).toEqual(stored.response);
    expect(again.request).toEqual(stored.request);
  });

  it('leaves a masked token as it is whatever its last characters (+ is no space on the second pass)', () => {
    // The terminal shows stored transcripts masked again; the debug modal shows them as
    // written. One in sixteen refresh tokens ends in a `+` within its last four characters.
    for (const tail of ['+9Y=', '++++', '%2B=', 'a+b/', '9%41']) {
      const stored = maskExchange(rawExchange(`${REFRESH.slice(0, -4)}${tail}`), { clientSecret: SECRET });
      expect(stored.request.body).toContain(`refresh_token=v^1.1#i^…${tail}&`);
      expect(isMaskedExchange(stored, SECRET)).toBe(true);
      expect(maskExchange(stored, { clientSecret: SECRET }).request).toEqual(stored.request);
    }
    const callback = {
      request: { ...rawExchange().request, url: 'https://x.test/cb?code=v%5E1.1%23AbCdEf123456%2B9Y%3D' },
    };
    const once = maskExchange({ ...callback, response: null });
    expect(once.request.url).toBe('https://x.test/cb?code=v^1.1#Ab…+9Y=');
    expect(maskExchange(once).request.url).toBe(once.request.url);
  });

  it('refuses anything the full masking would still change', () => {
    const stored = () => maskExchange(rawExchange(), { clientSecret: SECRET });
    const req = (patch: object) => {
      const x = stored();
      return { ...x, request: { ...x.request, ...patch } };
    };
    const res = (patch: object) => {
      const x = stored();
      return { ...x, response: { ...x.response, ...patch } };
    };
    const unmasked = {
      'the raw capture': rawExchange(),
      'a token in free text': res({ body: `<p>bad token ${ACCESS}</p>` }),
      'a token in a header': res({ headers: { 'x-debug': REFRESH } }),
      'an ENC: ciphertext': res({ body: 'ENC:v1:k1:abcdefghijklmnopqrstuvwxyz' }),
      'a code in the URL': req({ url: 'https://x.test/cb?state=s&code=AbCdEf123456789' }),
      'a password in a form body': req({ body: 'user=a&password=hunter2' }),
      'a secret field under an encoded key': req({ body: 'grant_type=x&c%6Fde=AbCdEf123456789' }),
      'a secret JSON field that is no token': res({ body: '{\n  "client_secret": "abc-def-ghi-jkl"\n}' }),
      'a JSON escape hiding a field': res({ body: '{"acc\\u0065ss_token": "abc-def-ghi-jkl"}' }),
      'the client secret': res({ body: `echo ${SECRET}` }),
      'the client secret in base64': res({ body: Buffer.from(SECRET).toString('base64') }),
      'the client secret URL-encoded': req({ url: `https://x.test/?s=${encodeURIComponent(SECRET)}` }),
      'a clear Basic credential': req({ headers: { authorization: BASIC } }),
      'a clear Bearer token': req({ headers: { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } }),
      'a cookie': req({ headers: { Cookie: 'session=abc' } }),
      'a set-cookie': res({ headers: { 'Set-Cookie': 'session=abc' } }),
      'an Authorization header in a response': res({ headers: { Authorization: 'Bearer ab…cdef' } }),
    };
    for (const [what, exchange] of Object.entries(unmasked)) {
      expect([what, isMaskedExchange(exchange, SECRET)]).toEqual([what, false]);
    }
  });
});
