import { createHash } from 'node:crypto';
import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import { createTokenCipher, generateKeySpec, parseKeyRing } from '../crypto/tokenCipher.ts';
import { type EbayEndpoints, ebayEndpoints } from './endpoints.ts';
import { getUser } from './identity.ts';
import { buildAuthorizeUrl, sendTokenRequest } from './oauthClient.ts';
import { buildCodeExchangeRequest, buildRefreshRequest } from './refreshRequest.ts';

const SCOPES = [
  'https://api.ebay.com/oauth/api_scope',
  'https://api.ebay.com/oauth/api_scope/commerce.identity.readonly',
];
const cipher = createTokenCipher(parseKeyRing(generateKeySpec('k1')));
const timeouts = { timeoutMs: 5_000 };
let sim: EbaySim;
let endpoints: EbayEndpoints;

beforeAll(async () => {
  sim = await startEbaySim({ acceptUrl: 'http://127.0.0.1:9/api/ebay/oauth/callback' });
  endpoints = ebayEndpoints('production', {
    authBaseUrl: sim.url,
    apiBaseUrl: sim.url,
    apizBaseUrl: sim.url,
  });
});
afterAll(() => sim.close());
afterEach(() => sim.control.reset());

const app = () => ({ tokenUrl: endpoints.tokenUrl, clientId: sim.clientId, clientSecret: sim.clientSecret });

/** Drives the consent page like a seller would and returns the callback's code, decoded once. */
async function consent(username: string): Promise<string> {
  const authorizeUrl = buildAuthorizeUrl({
    ...endpoints,
    clientId: sim.clientId,
    ruName: sim.ruName,
    scopes: SCOPES,
    state: 's1',
  });
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const form = new URLSearchParams(new URL(authorizeUrl).searchParams);
  form.set('action', 'agree');
  form.set('new_username', username);
  const res = await fetch(`${sim.url}/oauth2/authorize/consent`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const callback = new URL(res.headers.get('location') ?? '');
  expect(callback.searchParams.get('state')).toBe('s1');
  return callback.searchParams.get('code') ?? '';
}

function refreshStored(
  storedRefreshToken: string,
  overrides: { scopes?: string[]; timeoutMs?: number } = {},
) {
  const built = buildRefreshRequest({
    ...app(),
    storedRefreshToken,
    scopes: overrides.scopes ?? SCOPES,
    cipher,
  });
  if (!built.ok) throw new Error(built.message);
  return sendTokenRequest(built.request, { timeoutMs: overrides.timeoutMs ?? timeouts.timeoutMs });
}

describe('eBay OAuth client against the simulator', () => {
  it('connects a seller: consent, code exchange, identity, then a refresh of the stored token', async () => {
    const code = await consent('integration_seller');
    const exchanged = await sendTokenRequest(
      buildCodeExchangeRequest({ ...app(), code, ruName: sim.ruName }),
      timeouts,
    );
    if (!exchanged.outcome.ok) throw new Error(exchanged.outcome.message);
    expect(exchanged.outcome).toMatchObject({ expiresIn: 7200, refreshTokenExpiresIn: 47_304_000 });
    expect(exchanged.exchange.response?.headers.rlogid).toBeTruthy();

    const me = await getUser(endpoints.identityUserUrl, exchanged.outcome.accessToken, timeouts);
    expect(me.user?.username).toBe('integration_seller');

    const refreshToken = exchanged.outcome.refreshToken ?? '';
    const refreshed = await refreshStored(cipher.encrypt(refreshToken));
    expect(refreshed.outcome).toMatchObject({ ok: true, expiresIn: 7200, tokenType: 'User Access Token' });
    expect(refreshed.outcome).not.toHaveProperty('refreshToken');
    // eBay received the plaintext token, not the ENC: ciphertext.
    const received = sim.control.counters().refreshCallsByToken;
    expect(received[createHash('sha256').update(refreshToken).digest('hex')]).toBe(1);
    expect(refreshed.exchange.request.url).toBe(endpoints.tokenUrl);
  });

  it('classifies a revoked refresh token as invalid_grant', async () => {
    const grant = sim.control.issueGrant();
    sim.control.revokeUser(grant.user_id);
    const { outcome } = await refreshStored(cipher.encrypt(grant.refresh_token));
    expect(outcome).toMatchObject({ ok: false, code: 'invalid_grant', transient: false });
  });

  it('classifies wrong app credentials as invalid_client', async () => {
    const code = await consent('bad_credentials');
    const request = buildCodeExchangeRequest({
      ...app(),
      clientSecret: 'PRD-wrong',
      code,
      ruName: sim.ruName,
    });
    const { outcome, exchange } = await sendTokenRequest(request, timeouts);
    expect(outcome).toMatchObject({ ok: false, code: 'invalid_client', transient: false });
    expect(exchange.response?.status_code).toBe(401);
  });

  it('classifies asking for more than the granted scopes as invalid_scope', async () => {
    const grant = sim.control.issueGrant({ scopes: [SCOPES[0] as string] });
    const { outcome } = await refreshStored(cipher.encrypt(grant.refresh_token));
    expect(outcome).toMatchObject({ ok: false, code: 'invalid_scope', transient: false });
  });

  it.each([
    ['429', { code: 'rate_limited', transient: true, retryAfterSeconds: 1 }],
    ['5xx', { code: 'ebay_unavailable', transient: true }],
    ['html5xx', { code: 'ebay_unavailable', transient: true }],
    ['reset', { code: 'network_error', transient: true }],
  ] as const)('classifies the %s fault', async (kind, expected) => {
    const grant = sim.control.issueGrant();
    sim.control.failNext(kind, 1);
    const { outcome } = await refreshStored(cipher.encrypt(grant.refresh_token));
    expect(outcome).toMatchObject({ ok: false, ...expected });
  });

  it('gives up on a silent eBay after timeoutMs and records the exchange', async () => {
    const grant = sim.control.issueGrant();
    sim.control.failNext('timeout', 1);
    const { outcome, exchange } = await refreshStored(cipher.encrypt(grant.refresh_token), {
      timeoutMs: 200,
    });
    expect(outcome).toMatchObject({ ok: false, code: 'timeout', transient: true });
    expect(exchange.response).toBeNull();
    expect(exchange.duration_ms).toBeGreaterThanOrEqual(190);
    expect(exchange.duration_ms).toBeLessThan(3_000);
  });

  it('reports a refused connection as network_error', async () => {
    const closed = await startEbaySim();
    await closed.close();
    const request = buildCodeExchangeRequest({
      ...app(),
      tokenUrl: `${closed.url}/identity/v1/oauth2/token`,
      code: 'x',
      ruName: 'r',
    });
    const { outcome, exchange } = await sendTokenRequest(request, timeouts);
    expect(outcome).toMatchObject({ ok: false, code: 'network_error', transient: true });
    expect(exchange.error?.message).toContain('ECONNREFUSED');
  });

  it('explains identity failures: bad token and missing scope', async () => {
    const bad = await getUser(endpoints.identityUserUrl, 'v^1.1#not-issued', timeouts);
    expect(bad).toMatchObject({ user: null, error: { code: 'invalid_access_token', transient: false } });
    const narrow = sim.control.issueGrant({ scopes: [SCOPES[0] as string] });
    const denied = await getUser(endpoints.identityUserUrl, narrow.access_token, timeouts);
    expect(denied).toMatchObject({ user: null, error: { code: 'missing_scopes' } });
  });
});
