import { type EbaySim, startEbaySim } from './server.ts';
import { basicAuth, consentCode, exchangeCode, postToken, refresh, TEST_SCOPES } from './test/httpClient.ts';
import { manualClock } from './test/manualClock.ts';

const clock = manualClock();
let sim: EbaySim;

beforeAll(async () => {
  sim = await startEbaySim({ now: clock.now });
});
afterAll(() => sim.close());

describe('authorization code exchange', () => {
  it('returns eBay-shaped user tokens with correlation headers', async () => {
    const res = await exchangeCode(sim, await consentCode(sim, 'alice'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      expires_in: 7200,
      refresh_token_expires_in: 47_304_000,
      token_type: 'User Access Token',
    });
    const access = String(res.body.access_token);
    expect(access.startsWith('v^1.1#i^1#p^3#r^1#I^3#f^0#t^')).toBe(true);
    expect(access.length).toBeGreaterThan(1900);
    expect(access).toMatch(/\+.*\/.*=$/s);
    expect(String(res.body.refresh_token)).toMatch(/^v\^1\.1#.*[+/=]/);
    expect(res.headers.get('rlogid')).toBeTruthy();
    expect(res.headers.get('x-ebay-c-request-id')).toBeTruthy();
  });

  it('accepts a code only once', async () => {
    const code = await consentCode(sim, 'bob');
    expect((await exchangeCode(sim, code)).status).toBe(200);
    const again = await exchangeCode(sim, code);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('rejects a code decoded twice (+ became a space) without burning the real one', async () => {
    const code = await consentCode(sim, 'carol');
    expect(code).toContain('+');
    const doubleDecoded = decodeURIComponent(code.replace(/\+/g, ' '));
    const bad = await exchangeCode(sim, doubleDecoded);
    expect(bad.body).toEqual({
      error: 'invalid_grant',
      error_description: 'the provided authorization grant code is invalid or was issued to another client',
    });
    expect((await exchangeCode(sim, code)).status).toBe(200);
  });

  it('requires redirect_uri to be the RuName, not a URL', async () => {
    const code = await consentCode(sim, 'dave');
    const res = await postToken(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://app.example/callback',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('expires codes after five minutes', async () => {
    const code = await consentCode(sim, 'erin');
    clock.advanceSeconds(301);
    const res = await exchangeCode(sim, code);
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe('request validation', () => {
  const form = { grant_type: 'refresh_token', refresh_token: 'v^1.1#x', scope: TEST_SCOPES[0] as string };

  it('rejects a body that is not form-encoded', async () => {
    const res = await postToken(sim, form, { contentType: 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(typeof res.body.error_description).toBe('string');
  });

  it('answers invalid_client for missing or wrong app credentials', async () => {
    const missing = await postToken(sim, form, { authorization: null });
    const wrong = await postToken(sim, form, { authorization: basicAuth(sim.clientId, 'PRD-wrong') });
    for (const res of [missing, wrong]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: 'invalid_client',
        error_description: 'client authentication failed',
      });
    }
  });

  it('answers unsupported_grant_type and invalid_request for missing parameters', async () => {
    const unsupported = await postToken(sim, { grant_type: 'password' });
    expect([unsupported.status, unsupported.body.error]).toEqual([400, 'unsupported_grant_type']);
    for (const partial of [
      {},
      { grant_type: 'refresh_token', scope: 'x' },
      { grant_type: 'authorization_code' },
    ]) {
      const res = await postToken(sim, partial);
      expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
    }
    const noScope = await postToken(sim, { grant_type: 'refresh_token', refresh_token: 'v^1.1#x' });
    expect(noScope.body.error).toBe('invalid_request');
  });
});

describe('refresh', () => {
  it('mints an access token for a subset of the granted scopes, without a new refresh token', async () => {
    const grant = sim.control.issueGrant({ scopes: TEST_SCOPES });
    const res = await refresh(sim, grant.refresh_token, [TEST_SCOPES[0] as string]);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.body.access_token).not.toBe(grant.access_token);
  });

  it('answers invalid_scope when asking for more than was granted', async () => {
    const grant = sim.control.issueGrant({ scopes: [TEST_SCOPES[0] as string] });
    const res = await refresh(sim, grant.refresh_token, TEST_SCOPES);
    expect([res.status, res.body.error]).toEqual([400, 'invalid_scope']);
  });

  it('answers invalid_grant for unknown, revoked, user-revoked and expired refresh tokens', async () => {
    const revoked = sim.control.issueGrant();
    sim.control.revokeRefreshToken(revoked.refresh_token);
    const userRevoked = sim.control.issueGrant({ username: 'frank' });
    sim.control.revokeUser(userRevoked.user_id);
    const expiring = sim.control.issueGrant({ refreshExpiresInSeconds: 60 });
    clock.advanceSeconds(61);
    for (const token of [
      'v^1.1#unknown',
      revoked.refresh_token,
      userRevoked.refresh_token,
      expiring.refresh_token,
    ]) {
      const res = await refresh(sim, token);
      expect([res.status, res.body.error]).toEqual([400, 'invalid_grant']);
    }
  });

  it('rejects the stored ciphertext instead of the token (the seed incident)', async () => {
    const res = await refresh(sim, 'ENC:v1:k1:AAAAaaaaBBBBbbbb');
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe('issued grants (control API)', () => {
  it('gives every grant issued without a username its own seller', () => {
    // Short random names once collided now and then, so a test's 2,000 "new" sellers were 1,999.
    const userIds = new Set(Array.from({ length: 5_000 }, () => sim.control.issueGrant().user_id));
    expect(userIds.size).toBe(5_000);
  });

  it('reuses the seller when a grant names an existing username (a reconnect)', () => {
    const first = sim.control.issueGrant({ username: 'reconnecting_seller' });
    const again = sim.control.issueGrant({ username: 'reconnecting_seller' });
    expect(again.user_id).toBe(first.user_id);
    expect(again.refresh_token).not.toBe(first.refresh_token);
  });
});

describe('client credentials grant', () => {
  it('issues an application access token without a refresh token and counts it', async () => {
    const before = sim.control.counters().appTokenCalls;
    const res = await postToken(sim, {
      grant_type: 'client_credentials',
      scope: 'https://api.ebay.com/oauth/api_scope',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ expires_in: 7200, token_type: 'Application Access Token' });
    expect(String(res.body.access_token)).toMatch(/^v\^1\.1#/);
    expect(res.body.refresh_token).toBeUndefined();
    expect(sim.control.counters().appTokenCalls).toBe(before + 1);
  });

  it('refuses a user scope and bad client credentials', async () => {
    const scoped = await postToken(sim, {
      grant_type: 'client_credentials',
      scope: 'https://api.ebay.com/oauth/api_scope/sell.inventory',
    });
    expect(scoped.body.error).toBe('invalid_scope');
    const bad = await postToken(
      sim,
      { grant_type: 'client_credentials', scope: 'https://api.ebay.com/oauth/api_scope' },
      { authorization: basicAuth('x', 'y') },
    );
    expect(bad.status).toBe(401);
  });
});
