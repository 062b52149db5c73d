import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderConsentResultPage } from './authorizePages.ts';
import type { IssueGrantInput, SimControl } from './control.ts';
import type { FailKind, FaultRates } from './faults.ts';
import { readBody, sendHtml, sendJson } from './httpUtil.ts';

/**
 * `/__sim/*`: the SimControl operations as JSON over HTTP, for processes that did not
 * start the sim themselves (the app in embedded mode, reliability tests, benchmarks).
 */

type Json = Record<string, unknown>;
type ControlHandler = (control: SimControl, body: Json) => unknown;

function str(body: Json, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw new RangeError(`"${key}" must be a non-empty string`);
  return value;
}

function optional<T>(body: Json, key: string, type: 'string' | 'number' | 'object'): T | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw new RangeError(`"${key}" must be a ${type}`);
  return value as T;
}

/** Copies the keys that are present, so exactOptionalPropertyTypes never sees `undefined`. */
function pick<T extends object>(
  body: Json,
  keys: Record<keyof T, 'string' | 'number' | 'object'>,
): Partial<T> {
  const out: Json = {};
  for (const [key, type] of Object.entries(keys) as [string, 'string' | 'number' | 'object'][]) {
    const value = optional(body, key, type);
    if (value !== undefined) out[key] = value;
  }
  return out as Partial<T>;
}

const POST_ROUTES: Record<string, ControlHandler> = {
  '/__sim/redirect-urls': (c, b) => {
    const declineUrl = optional<string>(b, 'declineUrl', 'string');
    c.setRedirectUrls(str(b, 'acceptUrl'), ...(declineUrl ? [declineUrl] : []));
  },
  '/__sim/latency': (c, b) => c.setLatency(optional<number>(b, 'ms', 'number') ?? 0),
  '/__sim/faults': (c, b) =>
    c.setFaults(
      pick<FaultRates>(b, {
        rate5xx: 'number',
        rate429: 'number',
        retryAfterSeconds: 'number',
        rateTimeout: 'number',
        rateReset: 'number',
        rateHtml5xx: 'number',
      }),
    ),
  '/__sim/fail-next': (c, b) =>
    c.failNext(str(b, 'kind') as FailKind, optional<number>(b, 'count', 'number') ?? 1),
  '/__sim/grants': (c, b) => {
    const input = pick<IssueGrantInput>(b, {
      username: 'string',
      userId: 'string',
      scopes: 'object',
      accessExpiresInSeconds: 'number',
      refreshExpiresInSeconds: 'number',
    });
    if (input.scopes && !Array.isArray(input.scopes)) throw new RangeError('"scopes" must be an array');
    return c.issueGrant(input);
  },
  '/__sim/revoke-user': (c, b) => ({ revoked: c.revokeUser(str(b, 'userId')) }),
  '/__sim/expire-access-tokens': (c, b) => ({ expired: c.expireAccessTokens(str(b, 'userId')) }),
  '/__sim/revoke-refresh-token': (c, b) => ({ revoked: c.revokeRefreshToken(str(b, 'refreshToken')) }),
  '/__sim/rename-user': (c, b) => ({ renamed: c.renameUser(str(b, 'userId'), str(b, 'username')) }),
  '/__sim/account-deletion': (c, b) =>
    c.sendAccountDeletion({
      url: str(b, 'url'),
      userId: str(b, 'userId'),
      ...pick<{ username: string; notificationId: string; kid: string }>(b, {
        username: 'string',
        notificationId: 'string',
        kid: 'string',
      }),
    }),
  '/__sim/fail-public-key': (c, b) => c.failPublicKeyCalls(optional<number>(b, 'count', 'number') ?? 1),
  '/__sim/counters/reset': (c) => c.resetCounters(),
  '/__sim/reset': (c) => c.reset(),
};

/** The header that carries the sim's per-start control secret. */
export const CONTROL_SECRET_HEADER = 'x-sim-control-secret';

function sameSecret(sent: string | string[] | undefined, secret: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

const GET_ROUTES: Record<string, (control: SimControl) => unknown> = {
  '/__sim/counters': (c) => c.counters(),
  '/__sim/sellers': (c) => ({ sellers: c.sellers() }),
  '/__sim/issued-secrets': (c) => ({ secrets: c.issuedSecrets() }),
};

export async function handleControl(
  control: SimControl,
  controlSecret: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname;
  if (req.method === 'GET' && path === '/__sim/consent-result') {
    return sendHtml(res, 200, renderConsentResultPage(url.searchParams));
  }
  // A page on another origin (a text/plain POST needs no preflight) must not reach the control API.
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) {
    return sendJson(res, 403, {
      error: 'forbidden',
      message: 'the control API refuses cross-origin requests',
    });
  }
  // Any local process or user could reach the port: only those the starter told the secret may drive it.
  if (!sameSecret(req.headers[CONTROL_SECRET_HEADER], controlSecret)) {
    return sendJson(res, 401, {
      error: 'unauthorized',
      message: `the control API needs this start's secret in the ${CONTROL_SECRET_HEADER} header`,
    });
  }
  const getHandler = req.method === 'GET' ? GET_ROUTES[path] : undefined;
  if (getHandler) return sendJson(res, 200, getHandler(control));
  const postHandler = req.method === 'POST' ? POST_ROUTES[path] : undefined;
  if (!postHandler)
    return sendJson(res, 404, { error: 'not_found', message: `no control route ${req.method} ${path}` });
  try {
    const text = await readBody(req);
    const body: unknown = text ? JSON.parse(text) : {};
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new RangeError('body must be a JSON object');
    const result = await postHandler(control, body as Json);
    sendJson(res, 200, result ?? { ok: true });
  } catch (err) {
    if (!(err instanceof RangeError || err instanceof SyntaxError)) throw err;
    sendJson(res, 400, { error: 'bad_request', message: err.message });
  }
}
