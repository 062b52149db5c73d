import { STATUS_CODES } from 'node:http';

/**
 * Sends one HTTP request and records exactly what went out and what came back, so the
 * debug terminal and the connect logs can show the real exchange (after masking).
 * HTTP errors and network failures are captured, never thrown: every caller needs the
 * transcript most precisely when something went wrong.
 */

export type HttpRequest = {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** Empty string when there is no body, so transcripts never hold `null` bodies. */
  body: string;
};

export type CapturedResponse = {
  status_code: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
};

export type TransportError = { kind: 'timeout' | 'network'; message: string };

export type CapturedExchange = {
  request: HttpRequest;
  /** Null when no status line arrived (refused, reset, timeout before headers). */
  response: CapturedResponse | null;
  error: TransportError | null;
  started_at: string;
  duration_ms: number;
};

export type CaptureOptions = { timeoutMs: number };

export async function captureExchange(request: HttpRequest, opts: CaptureOptions): Promise<CapturedExchange> {
  const startedAt = new Date();
  const startedMs = performance.now();
  // The timeout covers the whole exchange, body included: a server that sends headers
  // and then stalls must not hang a refresh forever. A plain timer and our own controller,
  // cleared when done, rather than AbortSignal.timeout (held weakly by its timer).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, opts.timeoutMs);
  let response: CapturedResponse | null = null;
  let error: TransportError | null = null;
  try {
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.method === 'GET' ? null : request.body,
      redirect: 'manual',
      signal: controller.signal,
    });
    response = {
      status_code: res.status,
      reason: res.statusText || STATUS_CODES[res.status] || '',
      headers: Object.fromEntries(res.headers.entries()),
      body: '',
    };
    response.body = await res.text();
  } catch (err) {
    error = describeTransportFailure(err, timedOut, opts.timeoutMs);
  } finally {
    clearTimeout(timer);
  }
  return {
    request,
    response,
    error,
    started_at: startedAt.toISOString(),
    duration_ms: Math.round(performance.now() - startedMs),
  };
}

function describeTransportFailure(err: unknown, timedOut: boolean, timeoutMs: number): TransportError {
  if (timedOut) return { kind: 'timeout', message: `no complete response within ${timeoutMs} ms` };
  // undici reports "fetch failed" and hides the useful part (ECONNREFUSED, socket
  // closed) in `cause`.
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return { kind: 'network', message: code ? `${cause.message} (${code})` : cause.message };
  }
  return { kind: 'network', message: err instanceof Error ? err.message : String(err) };
}
