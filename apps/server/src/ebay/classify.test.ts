import { classifyTokenResponse, parseRetryAfter } from './classify.ts';
import type { CapturedExchange } from './httpCapture.ts';

function buildExchange(
  status: number | null,
  body = '',
  headers: Record<string, string> = {},
  error: CapturedExchange['error'] = null,
): CapturedExchange {
  return {
    request: { method: 'POST', url: 'http://127.0.0.1:4001/identity/v1/oauth2/token', headers: {}, body: '' },
    response: status === null ? null : { status_code: status, reason: '', headers, body },
    error,
    started_at: '2026-01-01T00:00:00.000Z',
    duration_ms: 12,
  };
}

const oauthError = (error: string, description = 'described') =>
  JSON.stringify({ error, error_description: description });

describe('classifyTokenResponse', () => {
  it('reads a code-exchange success, refresh token included', () => {
    const body = JSON.stringify({
      access_token: 'v^1.1#a',
      expires_in: 7200,
      refresh_token: 'v^1.1#r',
      refresh_token_expires_in: 47304000,
      token_type: 'User Access Token',
    });
    expect(classifyTokenResponse(buildExchange(200, body))).toEqual({
      ok: true,
      accessToken: 'v^1.1#a',
      expiresIn: 7200,
      refreshToken: 'v^1.1#r',
      refreshTokenExpiresIn: 47304000,
      tokenType: 'User Access Token',
    });
  });

  it('reads a refresh success without inventing a refresh token', () => {
    const body = JSON.stringify({
      access_token: 'v^1.1#a',
      expires_in: 7200,
      token_type: 'User Access Token',
    });
    const outcome = classifyTokenResponse(buildExchange(200, body));
    expect(outcome).toEqual({
      ok: true,
      accessToken: 'v^1.1#a',
      expiresIn: 7200,
      tokenType: 'User Access Token',
    });
  });

  it.each([
    [400, 'invalid_grant', 'invalid_grant'],
    [401, 'invalid_client', 'invalid_client'],
    [400, 'invalid_scope', 'invalid_scope'],
    [400, 'invalid_request', 'invalid_request'],
    [400, 'unsupported_grant_type', 'invalid_request'],
  ])('maps HTTP %i %s to a permanent %s', (status, error, code) => {
    const outcome = classifyTokenResponse(buildExchange(status, oauthError(error, 'eBay says why')));
    // The code is shown beside the message, so the message does not repeat it ("invalid_grant: invalid_grant: …").
    const message = error === code ? 'eBay says why' : `${error}: eBay says why`;
    expect(outcome).toEqual({ ok: false, code, transient: false, message });
  });

  it('maps 429 to rate_limited with Retry-After in seconds', () => {
    const outcome = classifyTokenResponse(buildExchange(429, '{"errors":[]}', { 'retry-after': '30' }));
    expect(outcome).toMatchObject({
      ok: false,
      code: 'rate_limited',
      transient: true,
      retryAfterSeconds: 30,
    });
    const noHeader = classifyTokenResponse(buildExchange(429, ''));
    expect(noHeader).toMatchObject({ code: 'rate_limited', transient: true });
    expect(noHeader).not.toHaveProperty('retryAfterSeconds');
  });

  it.each([
    ['a 503 with JSON', buildExchange(503, oauthError('temporarily_unavailable'))],
    [
      'a 502 HTML page',
      buildExchange(502, '<html><h1>Bad Gateway</h1></html>', { 'content-type': 'text/html' }),
    ],
    ['a 400 HTML page', buildExchange(400, '<html>Bad Request</html>')],
    ['a 200 without access_token', buildExchange(200, '{"token_type":"User Access Token"}')],
    ['a 200 with an HTML body', buildExchange(200, '<html>maintenance</html>')],
  ])('treats %s as transient ebay_unavailable', (_label, exchange) => {
    expect(classifyTokenResponse(exchange)).toMatchObject({
      ok: false,
      code: 'ebay_unavailable',
      transient: true,
    });
  });

  it('separates timeouts from other network failures, both transient', () => {
    const timeout = buildExchange(
      null,
      '',
      {},
      { kind: 'timeout', message: 'no complete response within 50 ms' },
    );
    const reset = buildExchange(
      null,
      '',
      {},
      { kind: 'network', message: 'other side closed (UND_ERR_SOCKET)' },
    );
    expect(classifyTokenResponse(timeout)).toMatchObject({ code: 'timeout', transient: true });
    expect(classifyTokenResponse(reset)).toEqual({
      ok: false,
      code: 'network_error',
      transient: true,
      message: 'other side closed (UND_ERR_SOCKET)',
    });
  });

  it('treats an unknown 401 JSON body as bad app credentials', () => {
    expect(classifyTokenResponse(buildExchange(401, '{"errors":[{"errorId":1}]}'))).toMatchObject({
      code: 'invalid_client',
      transient: false,
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
