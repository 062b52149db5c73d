import { maskBody, maskExchange, maskFormBody, maskHeaders, maskToken } from './mask.ts';

const REFRESH = `v^1.1#i^1#p^3#r^1#I^3#f^0#t^${'Ul4xMF8xOjQ2QkY'.repeat(8)}+abc/Ul4x=`;
const ACCESS = `v^1.1#i^1#f^0#p^3#I^3#r^0#t^${'H4sIAAAAAAAAAO1Z'.repeat(40)}==`;
const SECRET = 'PRD-4b8a9c1d2e3f-0a1b-2c3d';
const CLIENT_ID = 'SimApp-ebayconn-PRD-1a2b3c';

describe('masking', () => {
  it('keeps a prefix and suffix of a token, never the whole value', () => {
    const masked = maskToken(REFRESH);
    expect(masked.startsWith('v^1.1#i^')).toBe(true);
    expect(masked.endsWith('x4x=') || masked.endsWith(REFRESH.slice(-4))).toBe(true);
    expect(masked.length).toBeLessThan(20);
    expect(maskToken('ENC:v1:k1:abcdefghijklmnopqrstuvwxyz')).toMatch(/^ENC:v1:k1:…wxyz$/);
    expect(maskToken('short')).toBe('sh…');
  });

  it('masks refresh_token and code in a form body and keeps the rest', () => {
    const body = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: REFRESH,
      scope: 'a b',
    }).toString();
    const masked = maskFormBody(body);
    expect(masked).toContain('grant_type=refresh_token');
    expect(masked).toContain('scope=a+b');
    expect(masked).toContain('refresh_token=v^1.1#i^…');
    expect(masked).not.toContain(REFRESH.slice(20, 60));
  });

  it('keeps nothing that follows a masked-looking Basic credential, nor a percent-encoded "masked" value', () => {
    expect(maskHeaders({ Authorization: 'Basic app-id:***** c2VjcmV0LXJlZnJlc2g=' })).toEqual({
      Authorization: 'Basic app-id:*****',
    });
    // %41%42ab…cdef decodes to "ABab…cdef", 9 characters, whose mask shows two of them.
    expect(maskFormBody('password=%41%42ab…cdef')).toBe('password=AB…');
  });

  it('masks a form whose keys hold a broken percent escape instead of throwing', () => {
    expect(maskFormBody('%E0=1&c%6Fde=AbCdEf1234567890')).toBe('%E0=1&c%6Fde=AbCdEf12…7890');
  });

  it('masks tokens in JSON bodies, nested or not', () => {
    const body = JSON.stringify({
      access_token: ACCESS,
      expires_in: 7200,
      nested: { refresh_token: REFRESH },
    });
    const masked = maskBody(body, 'application/json');
    expect(masked).toContain('"expires_in": 7200');
    expect(masked).not.toContain(ACCESS.slice(30, 80));
    expect(masked).not.toContain(REFRESH.slice(30, 80));
  });

  it('masks tokens found in free text such as HTML error pages', () => {
    expect(maskBody(`<p>bad token ${ACCESS}</p>`, 'text/html')).not.toContain(ACCESS.slice(30, 80));
  });

  it('shows the client id of a Basic credential and hides the secret', () => {
    const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`;
    const headers = maskHeaders({ Authorization: basic, 'Content-Type': 'x' });
    expect(headers.Authorization).toBe(`Basic ${CLIENT_ID}:********`);
    expect(maskHeaders({ authorization: `Bearer ${ACCESS}` }).authorization).toMatch(/^Bearer v\^1\.1#i\^…/);
  });

  it('leaves no token, secret or Basic credential in a masked exchange', () => {
    const basic = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
    const exchange = {
      request: {
        method: 'POST',
        url: `https://api.ebay.com/identity/v1/oauth2/token?code=${encodeURIComponent(REFRESH)}`,
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(REFRESH)}&client_secret=${SECRET}`,
      },
      response: {
        status_code: 200,
        reason: 'OK',
        headers: { 'content-type': 'application/json', rlogid: 't6ldssk67%3D9' },
        body: JSON.stringify({ access_token: ACCESS, echo: SECRET }),
      },
    };
    const text = JSON.stringify(maskExchange(exchange, { clientSecret: SECRET }));
    for (const secret of [REFRESH, ACCESS, SECRET, basic, encodeURIComponent(REFRESH)]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('t6ldssk67%3D9');
    expect(text).toContain(CLIENT_ID);
  });
});
