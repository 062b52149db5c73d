import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { type Dispatcher, Pool } from 'undici';
import { type EbayEndpointOverrides, type EbayEnvironment, ebayApiBases } from './endpoints.ts';

/**
 * The eBay API proxy's HTTP side (`ANY /api/v1/ebay/proxy/:id/<path>`): where a call may go, which
 * headers pass each way, and the call itself. No open relay: the target is the configured eBay
 * API base of the account's environment plus a path checked segment by segment, and a path that
 * could leave that host or directory (`..`, encoded or back slashes, a scheme, another host) is
 * refused before anything is sent.
 */

/** The largest request body passed on (413 beyond). */
export const PROXY_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
const MAX_PATH_CHARS = 2048;

export type ProxyTarget = { ok: true; url: URL } | { ok: false; message: string };

/** RFC 3986 path characters (pchar and `/`); anything else is refused, not re-encoded. */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/;
/** Percent-escapes that would smuggle a separator, a dot segment or a control character. */
const BAD_ESCAPE = /%(2f|5c|2e|[01][0-9a-f]|7f)/i;
/** eBay API paths start with a plain name (`sell`, `commerce`, `buy`, `post-order`…), never a host or scheme. */
const FIRST_SEGMENT = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * The eBay URL for `rest` (what follows `/api/v1/ebay/proxy/:id/` in the request as sent, still
 * percent-encoded, query included). Paths under `commerce/identity/` go to the apiz host.
 */
export function proxyTarget(
  environment: EbayEnvironment,
  overrides: EbayEndpointOverrides,
  rest: string,
): ProxyTarget {
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? '' : rest.slice(q + 1);
  const refuse = (why: string): ProxyTarget => ({ ok: false, message: `the eBay API path ${why}` });
  if (path === '') return refuse('is missing: call /api/v1/ebay/proxy/:id/<eBay API path>');
  if (path.length > MAX_PATH_CHARS) return refuse(`must be at most ${MAX_PATH_CHARS} characters`);
  if (path.includes('\\')) return refuse('must not contain backslashes');
  if (!PATH_CHARS.test(path)) return refuse('has characters that are not allowed in a URL path');
  if (/%(?![0-9A-Fa-f]{2})/.test(path)) return refuse('has a malformed percent-escape');
  if (BAD_ESCAPE.test(path)) return refuse('must not contain encoded slashes, dots or control characters');
  const segments = path.split('/');
  if (segments.some((s, i) => s === '.' || s === '..' || (s === '' && i < segments.length - 1)))
    return refuse('must not contain "." or ".." segments or empty segments (//)');
  if (!FIRST_SEGMENT.test(segments[0] ?? ''))
    return refuse('must start with an eBay API name (like sell/…), not a URL or another host');
  if (/[^\x21-\x7e]/.test(query)) return refuse('query has characters that are not allowed');
  const bases = ebayApiBases(environment, overrides);
  const base = new URL(path.startsWith('commerce/identity/') ? bases.apiz : bases.api);
  const basePath = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${base.origin}${basePath}/${path}${query ? `?${query}` : ''}`);
  // Belt and braces: the URL parser must not have moved the call anywhere else.
  if (url.origin !== base.origin || url.pathname !== `${basePath}/${path}`) return refuse('is not allowed');
  return { ok: true, url };
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and those the proxy sets itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
/** The caller's credentials and routing headers: never passed to eBay. */
const NOT_FORWARDED = new Set([
  'authorization',
  'cookie',
  'host',
  'content-length',
  'expect',
  'forwarded',
  'origin',
  'referer',
  'x-real-ip',
  'x-request-id',
]);

function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    text
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The caller's headers as sent to eBay: credentials, cookies and hop-by-hop headers dropped. */
export function forwardedRequestHeaders(
  incoming: IncomingHttpHeaders,
  accessToken: string,
  bodyBytes: number | null,
): Record<string, string | string[]> {
  const listed = connectionListed(incoming);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || NOT_FORWARDED.has(name) || listed.has(name)) continue;
    if (name.startsWith('x-forwarded-') || name.startsWith('proxy-')) continue;
    out[name] = value;
  }
  out.authorization = `Bearer ${accessToken}`;
  if (bodyBytes !== null) out['content-length'] = String(bodyBytes);
  return out;
}

/** eBay's answer headers as passed back: all but hop-by-hop ones and cookies (`rlogid`, `x-ebay-c-request-id` kept). */
export function returnedResponseHeaders(incoming: IncomingHttpHeaders): Record<string, string | string[]> {
  const listed = connectionListed(incoming);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name) || name === 'set-cookie') continue;
    out[name] = value;
  }
  return out;
}

export class ProxyTimeoutError extends Error {}

/** eBay's answer once its headers arrived; `body` is left to stream (or to be read by `readAll`). */
export interface ProxiedAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Readable;
}

/**
 * One undici pool per eBay origin and idle limit (only the configured eBay hosts ever get one:
 * the caller passes a URL `proxyTarget` built): keep-alive connections, no pipelining (a slow
 * answer never holds up the calls queued behind it on the same socket), as many connections as
 * the service API's concurrency needs. Cheaper per call than node:http with an Agent (bench 8).
 */
const POOL_CONNECTIONS = 128;
const MAX_POOLS = 16;
const pools = new Map<string, Pool>();

function poolFor(origin: string, timeoutMs: number): Pool {
  const key = `${origin} ${timeoutMs}`;
  let pool = pools.get(key);
  if (!pool) {
    if (pools.size >= MAX_POOLS) {
      // Origins only change with the configuration (tests): drop the oldest pool.
      const [oldestKey, oldest] = pools.entries().next().value as [string, Pool];
      pools.delete(oldestKey);
      void oldest.close().catch(() => {});
    }
    pool = new Pool(origin, {
      connections: POOL_CONNECTIONS,
      pipelining: 1,
      keepAliveTimeout: 4_000,
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    pools.set(key, pool);
  }
  return pool;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Sends one request and resolves with eBay's answer once its headers arrive (the body is left to
 * stream). `timeoutMs` is an idle limit: connecting, waiting for the headers, or no body byte for
 * that long ends the call (ProxyTimeoutError before the headers; the body stream errors after).
 */
export async function sendProxied(
  url: URL,
  init: {
    method: string;
    headers: Record<string, string | string[]>;
    body: Buffer | null;
    timeoutMs: number;
  },
): Promise<ProxiedAnswer> {
  try {
    const answer = await poolFor(url.origin, init.timeoutMs).request({
      path: `${url.pathname}${url.search}`,
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      body: init.body,
    });
    return { statusCode: answer.statusCode, headers: answer.headers, body: answer.body };
  } catch (err) {
    if (TIMEOUT_CODES.has((err as NodeJS.ErrnoException).code ?? ''))
      throw new ProxyTimeoutError(`eBay did not answer within ${init.timeoutMs} ms`);
    throw err;
  }
}

/** Reads a small answer whole (the 401 whose errorId decides a retry). */
export async function readAll(res: Readable, maxBytes = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      res.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** eBay's "Invalid access token" (401, errorId 1001): the token ended early; a refresh may help. */
export function isInvalidTokenAnswer(status: number, body: Buffer): boolean {
  if (status !== 401) return false;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: Array<{ errorId?: unknown }> };
    return Array.isArray(parsed.errors) && parsed.errors.some((e) => e?.errorId === 1001);
  } catch {
    return false;
  }
}
