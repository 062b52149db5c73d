import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type Child, startChild } from './children.ts';
import { REPO_ROOT } from './paths.ts';

/**
 * The eBay simulator as its own process (`packages/ebay-sim/src/main.ts`), driven over its
 * `/__sim/*` control API like any other process would.
 */

export interface SimCounters {
  tokenCalls: number;
  refreshCalls: number;
  refreshCallsByToken: Record<string, number>;
  maxConcurrentRefreshesOfOneToken: number;
  inFlightRefreshes: number;
}

export interface FaultRates {
  rate5xx?: number;
  rate429?: number;
  retryAfterSeconds?: number;
  rateTimeout?: number;
  rateReset?: number;
  rateHtml5xx?: number;
}

export interface IssuedGrant {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  user_id: string;
  username: string;
}

export class RemoteSim {
  constructor(
    readonly url: string,
    readonly clientId: string,
    readonly clientSecret: string,
    readonly ruName: string,
    private readonly controlSecret: string,
    readonly child: Child,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'x-sim-control-secret': this.controlSecret };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sim ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }

  setRedirectUrls(acceptUrl: string) {
    return this.call('POST', '/__sim/redirect-urls', { acceptUrl });
  }
  setLatency(ms: number) {
    return this.call('POST', '/__sim/latency', { ms });
  }
  /** Unspecified rates go back to 0. */
  setFaults(rates: FaultRates) {
    return this.call('POST', '/__sim/faults', rates);
  }
  /** Faults and latency off; sellers and tokens stay. */
  reset() {
    return this.call('POST', '/__sim/reset', {});
  }
  grant(input: { accessExpiresInSeconds?: number; username?: string } = {}) {
    return this.call<IssuedGrant>('POST', '/__sim/grants', input);
  }
  counters() {
    return this.call<SimCounters>('GET', '/__sim/counters');
  }
  resetCounters() {
    return this.call('POST', '/__sim/counters/reset', {});
  }
  async issuedSecrets(): Promise<string[]> {
    return (await this.call<{ secrets: string[] }>('GET', '/__sim/issued-secrets')).secrets;
  }
  /** Whether eBay accepts this access token (the identity call). */
  async acceptsAccessToken(token: string): Promise<boolean> {
    const res = await fetch(`${this.url}/commerce/identity/v1/user/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await res.arrayBuffer();
    return res.status === 200;
  }
}

export async function startSim(): Promise<RemoteSim> {
  const clientId = `RelSuite-ebayconn-PRD-${randomBytes(6).toString('hex')}`;
  const clientSecret = `PRD-${randomBytes(12).toString('hex')}-${randomBytes(4).toString('hex')}`;
  const ruName = `Rel_Suite-RelSuite-${randomBytes(3).toString('hex')}`;
  const controlSecret = randomBytes(24).toString('base64url');
  const child = startChild('sim', {
    script: path.join(REPO_ROOT, 'packages/ebay-sim/src/main.ts'),
    // `--name=value`: a random value can start with "-", which parseArgs would take for an option.
    args: [
      '--port=0',
      `--client-id=${clientId}`,
      `--client-secret=${clientSecret}`,
      `--ru-name=${ruName}`,
      `--control-secret=${controlSecret}`,
    ],
  });
  const [, url] = await child.waitForLine(/listening on (http:\/\/\S+)/, 30_000);
  return new RemoteSim(url!, clientId, clientSecret, ruName, controlSecret, child);
}
