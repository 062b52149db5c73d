import type { EbaySim } from '../server.ts';

/** The sim's own tests talk to it over real HTTP, as eBay's clients do. */

export const TEST_SCOPES = [
  'https://api.ebay.com/oauth/api_scope',
  'https://api.ebay.com/oauth/api_scope/sell.inventory',
  'https://api.ebay.com/oauth/api_scope/commerce.identity.readonly',
];

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

export type TokenCallOptions = { authorization?: string | null; contentType?: string; signal?: AbortSignal };

/** POSTs a form to the token endpoint; `authorization: null` omits the header. */
export async function postToken(
  sim: EbaySim,
  form: Record<string, string>,
  opts: TokenCallOptions = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown>; text: string }> {
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
  };
  const authorization =
    opts.authorization === undefined ? basicAuth(sim.clientId, sim.clientSecret) : opts.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const res = await fetch(`${sim.url}/identity/v1/oauth2/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form).toString(),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Non-JSON bodies (HTML faults) are checked through `text`.
  }
  return { status: res.status, headers: res.headers, body, text };
}

export function authorizeQuery(sim: EbaySim, overrides: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    client_id: sim.clientId,
    redirect_uri: sim.ruName,
    response_type: 'code',
    scope: TEST_SCOPES.join(' '),
    state: 'st-123',
    ...overrides,
  });
}

/** Submits the consent form as a browser would; returns the redirect Location. */
export async function submitConsent(sim: EbaySim, fields: Record<string, string>): Promise<Response> {
  const form = new URLSearchParams(authorizeQuery(sim));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(`${sim.url}/oauth2/authorize/consent`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
}

/** Consents as `username` and returns the code exactly as a callback would decode it (once). */
export async function consentCode(sim: EbaySim, username: string): Promise<string> {
  const res = await submitConsent(sim, { action: 'agree', new_username: username });
  const location = res.headers.get('location') ?? '';
  const code = new URL(location, sim.url).searchParams.get('code');
  if (!code) throw new Error(`consent did not redirect with a code: ${res.status} ${location}`);
  return code;
}

export function exchangeCode(sim: EbaySim, code: string) {
  return postToken(sim, { grant_type: 'authorization_code', code, redirect_uri: sim.ruName });
}

export function refresh(sim: EbaySim, refreshToken: string, scopes: readonly string[] = TEST_SCOPES) {
  return postToken(sim, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    scope: scopes.join(' '),
  });
}
