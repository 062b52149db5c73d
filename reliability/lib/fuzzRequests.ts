import {
  brokenJsonBody,
  CONTENT_TYPES,
  encode,
  hostileText,
  hostileUrlValue,
  randomJson,
} from './fuzzValues.ts';
import type { Rng } from './rng.ts';

/**
 * Random requests for every operation of the API's own OpenAPI document (`GET /api/docs`):
 * each parameter and body field either left out, given a valid value, or given a hostile one;
 * bodies that are not JSON, content types that are not JSON, wrong methods, no or bad sessions.
 */

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
}

export interface Operation {
  method: string;
  /** With `{name}` placeholders. */
  template: string;
  query: { name: string; schema: JsonSchema }[];
  pathParams: { name: string; schema: JsonSchema }[];
  bodyFields: Record<string, JsonSchema> | null;
}

export type AuthKind = 'admin' | 'viewer' | 'none' | 'garbage';

export interface FuzzRequest {
  operation: string;
  method: string;
  path: string;
  auth: AuthKind;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface FuzzTargets {
  /** Accounts of the fuzzing user's org, and of another org (must be 404s). */
  ownAccountIds: string[];
  foreignAccountIds: string[];
  publicOrigin: string;
}

type OpenApiDoc = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema: JsonSchema }[];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
      }
    >
  >;
};

export function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([template, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      query: (op.parameters ?? []).filter((p) => p.in === 'query'),
      pathParams: (op.parameters ?? []).filter((p) => p.in === 'path'),
      bodyFields: op.requestBody?.content['application/json']?.schema.properties ?? null,
    })),
  );
}

function uuid(rng: Rng): string {
  const hex = () => rng.int(0, 15).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-8${part(3)}-${part(12)}`;
}

/** A value the schema accepts (as text), or a real id: own, foreign or unknown. */
function validText(rng: Rng, schema: JsonSchema, t: FuzzTargets): string {
  if (schema.enum) return String(rng.pick(schema.enum));
  if (schema.format === 'uuid') {
    const roll = rng.next();
    // The same draws whatever the lists hold, so a seed replays the same sequence of requests.
    const own = t.ownAccountIds[rng.int(0, t.ownAccountIds.length - 1)]!;
    const foreign = t.foreignAccountIds[rng.int(0, Math.max(0, t.foreignAccountIds.length - 1))];
    const unknown = uuid(rng);
    if (roll < 0.5) return own;
    return roll < 0.8 && foreign ? foreign : unknown;
  }
  if (schema.type === 'integer') {
    const min = schema.minimum ?? 0;
    const max = Math.min(schema.maximum ?? 1_000, Number.MAX_SAFE_INTEGER);
    return String(rng.pick([min, max, rng.int(min, Math.min(max, min + 1_000))]));
  }
  if (schema.type === 'boolean') return rng.pick(['true', 'false']);
  return rng.pick(['Shop', 'a', 'House 1', 'x'.repeat(schema.maxLength ?? 10)]);
}

function validJson(rng: Rng, schema: JsonSchema, t: FuzzTargets): unknown {
  const text = validText(rng, schema, t);
  if (schema.type === 'boolean') return text === 'true';
  if (schema.type === 'integer' || schema.type === 'number') return Number(text);
  return text;
}

function queryString(rng: Rng, op: Operation, t: FuzzTargets): string {
  const pairs: string[] = [];
  for (const p of op.query) {
    if (!rng.chance(0.7)) continue;
    const name = rng.chance(0.05) ? `${p.name}[]` : p.name;
    pairs.push(`${name}=${rng.chance(0.4) ? encode(validText(rng, p.schema, t)) : hostileUrlValue(rng)}`);
    if (rng.chance(0.08)) pairs.push(`${p.name}=${hostileUrlValue(rng)}`);
  }
  if (rng.chance(0.1))
    pairs.push(
      `${rng.pick(['__proto__[x]', 'constructor', 'a%00b', encode(hostileText(rng))])}=${hostileUrlValue(rng)}`,
    );
  if (rng.chance(0.03)) pairs.push(rng.pick(['&&&', '=', '==x', '%']));
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

function body(rng: Rng, op: Operation, t: FuzzTargets): string | Buffer {
  const fields = Object.keys(op.bodyFields ?? {});
  const roll = rng.next();
  if (roll < 0.55 && fields.length > 0) {
    const out: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(op.bodyFields ?? {})) {
      const r = rng.next();
      if (r < 0.15) continue;
      out[name] = r < 0.5 ? validJson(rng, schema, t) : r < 0.8 ? hostileText(rng) : randomJson(rng);
    }
    if (rng.chance(0.1)) out[hostileText(rng).slice(0, 30)] = randomJson(rng);
    return JSON.stringify(out);
  }
  if (roll < 0.8) return brokenJsonBody(rng, fields);
  return roll < 0.9 ? JSON.stringify(randomJson(rng)) : '{}';
}

const OTHER_METHODS = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'GET', 'POST', 'TRACE'];

export function generateRequest(rng: Rng, op: Operation, t: FuzzTargets): FuzzRequest {
  let path = op.template;
  for (const p of op.pathParams) {
    const value = rng.chance(0.4) ? encode(validText(rng, p.schema, t)) : hostileUrlValue(rng);
    path = path.replace(`{${p.name}}`, value);
  }
  path += queryString(rng, op, t);
  const method = rng.chance(0.04) ? rng.pick(OTHER_METHODS) : op.method;
  const isLogin = op.template === '/api/auth/login';
  // Logging out with the fuzzing session would end it: logout only ever gets no or a bad session.
  const auth: AuthKind =
    op.template === '/api/auth/logout' || isLogin
      ? rng.pick(['none', 'garbage'])
      : rng.pick(['admin', 'admin', 'admin', 'admin', 'admin', 'admin', 'viewer', 'none', 'garbage']);
  const headers: Record<string, string> = {};
  if (auth === 'garbage')
    headers.cookie = `ebc_session=${rng.pick(['x', 'a'.repeat(4_000), '%00', '"', 'ü', encode(hostileText(rng))])}`;
  const hasBody = method !== 'GET' && method !== 'HEAD' && (op.method === 'POST' || rng.chance(0.3));
  let payload: string | Buffer | undefined;
  if (hasBody) {
    payload = body(rng, op, t);
    headers['content-type'] = rng.chance(0.75) ? 'application/json' : rng.pick(CONTENT_TYPES);
    if (headers['content-type'] === '') delete headers['content-type'];
    if (rng.chance(0.04)) headers['content-encoding'] = rng.pick(['gzip', 'br', 'identity', 'x-bogus']);
  }
  if (method !== 'GET') {
    const originRoll = rng.next();
    if (originRoll < 0.85) headers.origin = t.publicOrigin;
    else if (originRoll < 0.9) headers.origin = 'http://evil.test';
    else if (originRoll < 0.95)
      headers.referer = rng.pick(['not a url', `${t.publicOrigin}/workers`, 'http://[::1']);
  }
  if (rng.chance(0.03)) headers['last-event-id'] = hostileText(rng).replace(/[^\x20-\x7e]/g, '?');
  if (rng.chance(0.03)) headers['x-request-id'] = rng.pick(['a'.repeat(500), '../x', '%00']);
  if (rng.chance(0.03)) headers.accept = rng.pick(['text/html', 'application/xml', '*/*;q=0', 'ü']);
  return {
    operation: `${op.method} ${op.template}`,
    method,
    path,
    auth,
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
  };
}
