import type { EbaySim } from '@ebay-connector/ebay-sim';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type Client, PUBLIC_URL } from './harness.ts';

/** Playing the admin and the seller through the connect flow against the simulator's consent page. */

export const CALLBACK = `${PUBLIC_URL}/api/ebay/oauth/callback`;

/** Plays the seller on the simulator's consent page; returns the callback path eBay redirects to. */
export async function consent(
  sim: EbaySim,
  authorizeUrl: string,
  form: Record<string, string>,
): Promise<string> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}`);
  const params = new URL(authorizeUrl).searchParams;
  const body = new URLSearchParams({
    client_id: params.get('client_id')!,
    redirect_uri: params.get('redirect_uri')!,
    response_type: params.get('response_type')!,
    scope: params.get('scope')!,
    state: params.get('state')!,
    ...form,
  });
  const res = await fetch(`${sim.url}/oauth2/authorize/consent`, {
    method: 'POST',
    body,
    redirect: 'manual',
  });
  const location = res.headers.get('location') ?? '';
  if (res.status !== 302 || !location.startsWith(CALLBACK))
    throw new Error(`consent answered ${res.status} to ${location}`);
  return location.slice(PUBLIC_URL.length);
}

/** eBay's redirect back, with the client's session cookie (or none); the URL the browser lands on. */
export async function callback(
  app: FastifyInstance,
  client: Client | null,
  path: string,
  texts: string[] = [],
): Promise<URL> {
  const res: LightMyRequestResponse = await app.inject({
    method: 'GET',
    url: path,
    headers: client ? { cookie: client.cookie } : {},
  });
  texts.push(res.body, String(res.headers.location));
  if (res.statusCode !== 303) throw new Error(`callback answered ${res.statusCode}: ${res.body}`);
  return new URL(String(res.headers.location));
}
