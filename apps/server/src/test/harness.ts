import type { EbaySim } from '@ebay-connector/ebay-sim';
import { startEbaySim } from '@ebay-connector/ebay-sim';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildHttpApp, type HttpAppOptions } from '../http/app.ts';
import { createTestContext, type TestContext } from './appContext.ts';
import type { TestDatabase } from './db.ts';
import { type BuiltUser, buildOrg, buildUser } from './factories.ts';

/**
 * The HTTP test harness: a test database, a simulator over real HTTP, an AppContext and the
 * Fastify app, plus signed-in clients. Requests go through `app.inject` unless a test
 * needs a listening server (the event stream).
 */

export const PUBLIC_URL = 'http://app.test';

export interface Harness {
  ctx: TestContext;
  sim: EbaySim;
  app: FastifyInstance;
}

export function useHarness(getDb: () => TestDatabase, opts: Partial<HttpAppOptions> = {}): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    const sim = await startEbaySim();
    const ctx = createTestContext(getDb(), sim);
    const app = await buildHttpApp(ctx, { publicUrl: PUBLIC_URL, streamPollMs: 100, ...opts });
    await app.ready();
    harness = { ctx, sim, app };
  });
  afterAll(async () => {
    await harness?.app.close();
    await harness?.sim.close();
  });
  return () => {
    if (!harness) throw new Error('harness not started');
    return harness;
  };
}

export interface Client {
  cookie: string;
  user: BuiltUser;
  orgId: string;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** The session cookie (`name=value`) from a login response. */
export function sessionCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'ebc_session' || c.name === '__Host-ebc_session');
  if (!cookie) throw new Error(`no session cookie (status ${res.statusCode}: ${res.body})`);
  return `${cookie.name}=${cookie.value}`;
}

export async function login(
  app: FastifyInstance,
  email: string,
  password: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: PUBLIC_URL },
    payload: { email, password },
  });
}

export function clientFor(app: FastifyInstance, cookie: string, user: BuiltUser, orgId: string): Client {
  const send = (opts: InjectOptions) => app.inject(opts);
  return {
    cookie,
    user,
    orgId,
    get: (url, headers = {}) => send({ method: 'GET', url, headers: { cookie, ...headers } }),
    post: (url, body = {}, headers = {}) =>
      send({
        method: 'POST',
        url,
        headers: { cookie, origin: PUBLIC_URL, 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(body),
      }),
    patch: (url, body = {}, headers = {}) =>
      send({
        method: 'PATCH',
        url,
        headers: { cookie, origin: PUBLIC_URL, 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(body),
      }),
  };
}

/** A user of the given role in `orgId` (a new org when omitted), signed in. */
export async function signedInClient(
  h: Harness,
  o: { orgId?: string; role?: 'admin' | 'viewer' } = {},
): Promise<Client> {
  const orgId = o.orgId ?? (await buildOrg(h.ctx.db)).id;
  const user = await buildUser(h.ctx.db, { orgId, role: o.role ?? 'admin' });
  const res = await login(h.app, user.email, user.password);
  return clientFor(h.app, sessionCookieOf(res), user, orgId);
}

/** Fails when any text contains a full token, code or the client secret the simulator issued. */
export function expectNoSecrets(sim: EbaySim, texts: readonly string[]): void {
  const secrets = sim.control.issuedSecrets();
  for (const text of texts) {
    for (const secret of secrets) {
      if (text.includes(secret))
        throw new Error(`a secret (${secret.slice(0, 8)}…) leaked into: ${text.slice(0, 200)}`);
    }
  }
}
