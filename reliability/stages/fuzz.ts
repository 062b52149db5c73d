import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createUser } from '@ebay-connector/server';
import { createAccounts, createOrg, forEachConcurrently } from '../lib/accounts.ts';
import { type AuthKind, type FuzzRequest, generateRequest, operationsOf } from '../lib/fuzzRequests.ts';
import { ApiClient, signIn } from '../lib/http.ts';
import { ARTIFACTS_DIR } from '../lib/paths.ts';
import { RAW_CASES, sendRaw } from '../lib/rawHttp.ts';
import { Rng } from '../lib/rng.ts';
import type { SuiteEnv } from '../lib/suiteEnv.ts';
import { exerciseSecretPaths, type SecretPathsResult } from './secretPaths.ts';

/**
 * Bad input: every operation of the API's OpenAPI document gets `perOperation` generated
 * requests (seeded: RELIABILITY_SEED replays a run), then the raw-socket cases. Zero 5xx and
 * zero crashes: the web process must still be running and answer /healthz afterwards.
 * Failing requests are written to test-results/reliability/fuzz-failures.json.
 */

export interface FuzzResult {
  secretPaths: SecretPathsResult;
  seed: number;
  operations: string[];
  requests: number;
  rawCases: number;
  byStatus: Record<string, number>;
  serverErrors: { request: FuzzRequest | string; status: number; body: string }[];
  clientErrors: { request: FuzzRequest; error: string }[];
  nonStandardErrorBodies: { request: FuzzRequest; status: number; body: string }[];
  /** Raw cases that must get a certain status and did not. */
  rawMismatches: { name: string; expected: number; status: number | null }[];
  rawStatuses: Record<string, number | null>;
  /** On one keep-alive connection: a request rejected by the HTTP parser (431), then /healthz. */
  keepAliveAfterRejection: string;
  healthzAfter: number;
  webAlive: boolean;
  unhandledErrorLogLines: number;
}

export async function runFuzzStage(
  env: SuiteEnv,
  o: { seed: number; perOperation: number; foreignAccountIds: string[] },
): Promise<FuzzResult> {
  const { ctx, sim, api } = env;
  const orgId = await createOrg(ctx, 'reliability-fuzz');
  const cookies: Record<AuthKind, string | null> = { admin: null, viewer: null, none: null, garbage: null };
  for (const role of ['admin', 'viewer'] as const) {
    const email = `fuzz-${role}@reliability.test`;
    await createUser(ctx.db, { orgId, email, role, password: `fuzz-${role}-password` });
    cookies[role] = await signIn(api, email, `fuzz-${role}-password`);
  }
  const own = await createAccounts(ctx, sim, {
    orgId,
    count: 3,
    accessExpiresInSeconds: 7200,
    label: 'fuzz',
  });
  const secretPaths = await exerciseSecretPaths(env, cookies.admin!);
  const docs = await api.json('GET', '/api/docs', null);
  const operations = operationsOf(JSON.parse(docs.body));
  const targets = {
    ownAccountIds: own.map((a) => a.accountId),
    foreignAccountIds: o.foreignAccountIds,
    publicOrigin: api.origin,
  };

  const rng = new Rng(o.seed);
  const requests = operations.flatMap((op) =>
    Array.from(
      { length: op.template === '/api/auth/login' ? Math.ceil(o.perOperation / 3) : o.perOperation },
      () => generateRequest(rng, op, targets),
    ),
  );
  const result: FuzzResult = {
    secretPaths,
    seed: o.seed,
    operations: operations.map((op) => `${op.method} ${op.template}`),
    requests: requests.length,
    rawCases: RAW_CASES.length,
    byStatus: {},
    serverErrors: [],
    clientErrors: [],
    nonStandardErrorBodies: [],
    rawMismatches: [],
    rawStatuses: {},
    keepAliveAfterRejection: '',
    healthzAfter: 0,
    webAlive: false,
    unhandledErrorLogLines: 0,
  };
  const count = (status: number | null) => {
    const key = status === null ? 'no answer' : `${status}`;
    result.byStatus[key] = (result.byStatus[key] ?? 0) + 1;
  };
  // A new connection per request: a request the server hangs up on is its own finding, not
  // the echo of an earlier request on a reused keep-alive connection.
  const fresh = new ApiClient(api.baseUrl, env.archive, { keepAlive: false });
  await forEachConcurrently(requests.length, 6, async (i) => {
    const req = requests[i]!;
    const cookie = cookies[req.auth];
    try {
      const res = await fresh.request({
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...(cookie ? { cookie } : {}) },
        ...(req.body !== undefined ? { body: req.body } : {}),
        timeoutMs: 30_000,
      });
      count(res.status);
      if (res.status >= 500)
        result.serverErrors.push({ request: req, status: res.status, body: res.body.slice(0, 500) });
      else if (res.status >= 400 && req.method !== 'HEAD' && !isErrorBody(res.body)) {
        result.nonStandardErrorBodies.push({
          request: req,
          status: res.status,
          body: res.body.slice(0, 300),
        });
      }
    } catch (err) {
      result.clientErrors.push({ request: req, error: String(err) });
    }
  });
  fresh.close();
  const port = Number(new URL(api.baseUrl).port);
  for (const c of RAW_CASES) {
    const res = await sendRaw(port, c.bytes(`127.0.0.1:${port}`, cookies.admin ?? ''));
    env.archive.add(Buffer.from(res.text, 'latin1'));
    count(res.status);
    result.rawStatuses[c.name] = res.status;
    if (c.expectStatus !== undefined && res.status !== c.expectStatus) {
      result.rawMismatches.push({ name: c.name, expected: c.expectStatus, status: res.status });
    }
    if (res.status !== null && res.status >= 500)
      result.serverErrors.push({ request: c.name, status: res.status, body: res.text.slice(0, 500) });
  }

  result.keepAliveAfterRejection = await keepAliveAfterRejection(env);
  result.healthzAfter = (await api.json('GET', '/healthz', null)).status;
  result.webAlive = env.web.child.alive();
  result.unhandledErrorLogLines = readFileSync(env.web.child.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"unhandled error"')).length;
  writeFileSync(
    path.join(ARTIFACTS_DIR, 'fuzz-failures.json'),
    `${JSON.stringify({ seed: o.seed, serverErrors: result.serverErrors, clientErrors: result.clientErrors, nonStandardErrorBodies: result.nonStandardErrorBodies }, jsonBuffers, 2)}\n`,
  );
  return result;
}

/** A keep-alive client must not send its next request into a socket the server is closing. */
async function keepAliveAfterRejection(env: SuiteEnv): Promise<string> {
  const client = new ApiClient(env.api.baseUrl, env.archive, { maxSockets: 1 });
  try {
    const rejected = await client.request({ method: 'GET', path: `/healthz?pad=${'x'.repeat(20_000)}` });
    const next = await client.request({ method: 'GET', path: '/healthz' }).then(
      (r) => String(r.status),
      (err: unknown) => String(err),
    );
    return `${rejected.status} then ${next}`;
  } finally {
    client.close();
  }
}

/** The API's error body: `{"error": {"code": "snake_case", "message": "…"}}`. */
function isErrorBody(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    return (
      typeof parsed.error?.code === 'string' &&
      /^[a-z_]+$/.test(parsed.error.code) &&
      typeof parsed.error.message === 'string'
    );
  } catch {
    return false;
  }
}

function jsonBuffers(_key: string, value: unknown): unknown {
  return value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer'
    ? `<bytes ${Buffer.from((value as { data: number[] }).data).toString('base64')}>`
    : value;
}
