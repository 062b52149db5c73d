import http from 'node:http';
import type { BodyArchive } from './bodyArchive.ts';

/**
 * A small HTTP client on node:http (keep-alive, exact control of the bytes sent) that measures
 * each request and hands every response body to the archive. A server-sent event stream is
 * read until its first chunk and then closed.
 */

export interface ApiRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

export class ApiClient {
  private readonly agent: http.Agent;
  readonly origin: string;

  constructor(
    readonly baseUrl: string,
    private readonly archive: BodyArchive,
    opts: { maxSockets?: number; keepAlive?: boolean } = {},
  ) {
    this.agent = new http.Agent({ keepAlive: opts.keepAlive ?? true, maxSockets: opts.maxSockets ?? 64 });
    this.origin = new URL(baseUrl).origin;
  }

  request(req: ApiRequest): Promise<ApiResponse> {
    const url = new URL(this.baseUrl);
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const r = http.request(
        {
          agent: this.agent,
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path,
          headers: {
            ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
            ...req.headers,
          },
          timeout: req.timeoutMs ?? 15_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          const isStream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
          let finished = false;
          const finish = () => {
            if (finished) return;
            finished = true;
            const body = Buffer.concat(chunks);
            this.archive.add(body);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: body.toString('utf8'),
              ms: performance.now() - t0,
            });
          };
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            if (isStream) {
              res.destroy();
              finish();
            }
          });
          res.on('end', finish);
          res.on('error', (err) => (isStream ? undefined : reject(err)));
        },
      );
      r.on('timeout', () =>
        r.destroy(new Error(`timed out after ${req.timeoutMs ?? 15_000} ms: ${req.method} ${req.path}`)),
      );
      r.on('error', reject);
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  /** A JSON API call the way the web UI makes it (session cookie, Origin, JSON body). */
  json(method: 'GET' | 'POST', path: string, cookie: string | null, body?: unknown): Promise<ApiResponse> {
    return this.request({
      method,
      path,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(method === 'POST' ? { origin: this.origin, 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Signs in and returns the session cookie (`name=value`). */
export async function signIn(client: ApiClient, email: string, password: string): Promise<string> {
  const res = await client.json('POST', '/api/auth/login', null, { email, password });
  const setCookie = res.headers['set-cookie']?.find((c) => c.startsWith('ebc_session='));
  if (res.status !== 200 || !setCookie)
    throw new Error(`login failed: ${res.status} ${res.body.slice(0, 200)}`);
  return setCookie.split(';')[0]!;
}
