import { type EbaySim, startEbaySim } from './server.ts';
import { authorizeQuery, exchangeCode, submitConsent } from './test/httpClient.ts';

let sim: EbaySim;

beforeAll(async () => {
  sim = await startEbaySim({
    acceptUrl: 'http://127.0.0.1:9/accept',
    declineUrl: 'http://127.0.0.1:9/decline?x=1',
  });
});
afterAll(() => sim.close());

async function identityOf(accessToken: string) {
  const res = await fetch(`${sim.url}/commerce/identity/v1/user/`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return (await res.json()) as { userId: string; username: string };
}

describe('GET /oauth2/authorize', () => {
  it.each([
    ['an unknown client_id', { client_id: 'someone-else' }, 'invalid_client'],
    ['a URL instead of the RuName', { redirect_uri: 'https://app.example/cb' }, 'RuName'],
    ['response_type=token', { response_type: 'token' }, 'response_type'],
    ['a scope that is not an eBay scope', { scope: 'openid email' }, 'invalid_scope'],
  ])('shows a 400 error page for %s', async (_label, overrides, expected) => {
    const res = await fetch(`${sim.url}/oauth2/authorize?${authorizeQuery(sim, overrides)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain(expected);
  });

  it('shows a consent page that carries the request through hidden fields', async () => {
    sim.control.issueGrant({ username: 'existing_seller' });
    const res = await fetch(`${sim.url}/oauth2/authorize?${authorizeQuery(sim, { prompt: 'login' })}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    for (const id of [
      'select id="seller"',
      'input id="new_username"',
      'button id="agree"',
      'button id="decline"',
    ]) {
      expect(html).toContain(id);
    }
    expect(html).toContain('>existing_seller</option>');
    expect(html).toContain(`name="redirect_uri" value="${sim.ruName}"`);
    expect(html).toContain('name="state" value="st-123"');
  });
});

describe('consent', () => {
  it('Agree redirects to the accept URL with state, an encoded code and expires_in', async () => {
    const res = await submitConsent(sim, { action: 'agree', new_username: 'new_seller_1' });
    expect(res.status).toBe(302);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/accept\?state=st-123&code=v%5E1\.1%23.*&expires_in=299$/,
    );
    expect(location).not.toMatch(/code=[^&]*\+/);
    const code = new URL(location).searchParams.get('code') ?? '';
    const tokens = await exchangeCode(sim, code);
    expect((await identityOf(String(tokens.body.access_token))).username).toBe('new_seller_1');
  });

  it('signing in as an existing seller keeps its immutable userId', async () => {
    const seeded = sim.control.issueGrant({ username: 'returning' });
    const res = await submitConsent(sim, { action: 'agree', seller: seeded.user_id });
    const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = await exchangeCode(sim, code);
    expect(await identityOf(String(tokens.body.access_token))).toMatchObject({
      userId: seeded.user_id,
      username: 'returning',
    });
  });

  it('Decline redirects to the decline URL with access_denied', async () => {
    const res = await submitConsent(sim, { action: 'decline' });
    const url = new URL(res.headers.get('location') ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:9/decline');
    expect(url.searchParams.get('x')).toBe('1');
    expect(url.searchParams.get('state')).toBe('st-123');
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('error_description')).toBeTruthy();
  });

  it('Agree without choosing or naming a seller shows the consent page again with what to do', async () => {
    const res = await submitConsent(sim, { action: 'agree' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('id="consent-error"');
    expect(html).toContain('Choose an existing seller or type a new seller’s username');
    expect(html).not.toContain('authorization request is invalid');
    // The way back: the same form, request intact, with Decline.
    expect(html).toContain('name="state" value="st-123"');
    expect(html).toContain('button id="decline"');
    expect(html).toContain('select id="seller"');
  });

  it('follows redirect URLs the app sets at run time', async () => {
    sim.control.setRedirectUrls('http://127.0.0.1:9/other');
    const declined = await submitConsent(sim, { action: 'decline' });
    expect(declined.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:9\/other\?state=/);
  });
});
