import { CONTROL_SECRET_HEADER } from './controlRoutes.ts';
import { type EbaySim, startEbaySim } from './server.ts';
import { consentCode, refresh } from './test/httpClient.ts';

let sim: EbaySim;

beforeAll(async () => {
  sim = await startEbaySim();
});
afterAll(() => sim.close());

async function control(method: 'GET' | 'POST', path: string, body?: unknown) {
  const headers: Record<string, string> = { [CONTROL_SECRET_HEADER]: sim.controlSecret };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.url}/__sim/${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('/__sim control over HTTP', () => {
  it('refuses a request from a page on another origin (a text/plain POST, a GET of the issued secrets)', async () => {
    const post = await fetch(`${sim.url}/__sim/redirect-urls`, {
      method: 'POST',
      headers: { origin: 'https://evil.test', 'content-type': 'text/plain' },
      body: JSON.stringify({ urls: ['https://evil.test/cb'] }),
    });
    expect(post.status).toBe(403);
    const get = await fetch(`${sim.url}/__sim/issued-secrets`, { headers: { origin: 'http://localhost:1' } });
    expect(get.status).toBe(403);
    expect(await get.json()).toEqual({
      error: 'forbidden',
      message: 'the control API refuses cross-origin requests',
    });
    // The sim's own pages (same origin) and other processes (no Origin) still reach it.
    const own = await fetch(`${sim.url}/__sim/counters`, {
      headers: { origin: sim.url, [CONTROL_SECRET_HEADER]: sim.controlSecret },
    });
    expect(own.status).toBe(200);
  });

  it("refuses a local process without this start's secret, or with another one (401)", async () => {
    for (const headers of [{}, { [CONTROL_SECRET_HEADER]: 'guess' }, { [CONTROL_SECRET_HEADER]: '' }]) {
      const read = await fetch(`${sim.url}/__sim/issued-secrets`, { headers });
      expect(read.status).toBe(401);
      expect(JSON.stringify(await read.json())).not.toContain(sim.clientSecret);
      const write = await fetch(`${sim.url}/__sim/redirect-urls`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ acceptUrl: 'https://evil.test/cb' }),
      });
      expect(write.status).toBe(401);
    }
    const other = await startEbaySim();
    try {
      expect(other.controlSecret).not.toBe(sim.controlSecret);
      const crossed = await fetch(`${other.url}/__sim/counters`, {
        headers: { [CONTROL_SECRET_HEADER]: sim.controlSecret },
      });
      expect(crossed.status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('seeds a grant, queues a failure and reports counters', async () => {
    const grant = await control('POST', 'grants', { username: 'http_seller', refreshExpiresInSeconds: 3600 });
    expect(grant.body).toMatchObject({ username: 'http_seller', refresh_token_expires_in: 3600 });
    expect((await control('POST', 'fail-next', { kind: 'invalid_grant', count: 1 })).status).toBe(200);
    const refreshToken = String(grant.body.refresh_token);
    expect((await refresh(sim, refreshToken)).body.error).toBe('invalid_grant');
    expect((await refresh(sim, refreshToken)).status).toBe(200);
    const counters = await control('GET', 'counters');
    expect(counters.body).toMatchObject({ tokenCalls: 2, refreshCalls: 2 });
    await control('POST', 'counters/reset');
    expect((await control('GET', 'counters')).body.tokenCalls).toBe(0);
  });

  it('revokes a user and a refresh token', async () => {
    const a = await control('POST', 'grants', { username: 'to_revoke' });
    const b = await control('POST', 'grants', {});
    expect((await control('POST', 'revoke-user', { userId: a.body.user_id })).body).toEqual({ revoked: 1 });
    const revokeB = await control('POST', 'revoke-refresh-token', { refreshToken: b.body.refresh_token });
    expect(revokeB.body).toEqual({ revoked: true });
    for (const grant of [a, b])
      expect((await refresh(sim, String(grant.body.refresh_token))).status).toBe(400);
  });

  it('sets faults, latency and resets them', async () => {
    const token = String((await control('POST', 'grants', {})).body.refresh_token);
    await control('POST', 'faults', { rate5xx: 1 });
    expect((await refresh(sim, token)).status).toBe(503);
    await control('POST', 'reset');
    expect((await refresh(sim, token)).status).toBe(200);
  });

  it('lists every issued secret, the client secret included', async () => {
    const code = await consentCode(sim, 'secret_scan');
    const { secrets } = (await control('GET', 'issued-secrets')).body as { secrets: string[] };
    expect(secrets).toContain(sim.clientSecret);
    expect(secrets).toContain(code);
    expect(secrets.some((s) => s.startsWith('v^1.1#i^1#p^3#r^1#I^3#f^0#t^H4sI'))).toBe(true);
  });

  it('describes the app without revealing the secret', async () => {
    const config = await control('GET', 'config');
    expect(config.body).toMatchObject({ clientId: sim.clientId, ruName: sim.ruName });
    expect(JSON.stringify(config.body)).not.toContain(sim.clientSecret);
  });

  it('answers 400 for bad input and 404 for unknown routes', async () => {
    expect((await control('POST', 'fail-next', { kind: 'meteor' })).status).toBe(400);
    expect((await control('POST', 'faults', { rate429: 'often' })).status).toBe(400);
    expect((await control('POST', 'latency', { ms: -5 })).status).toBe(400);
    expect((await control('GET', 'nothing-here')).status).toBe(404);
  });
});
