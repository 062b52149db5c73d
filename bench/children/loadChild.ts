import { serveIpc } from '../lib/ipcChild.ts';

/**
 * A closed-loop HTTP load generator in its own process (so it never shares an event loop with
 * the server it measures): `concurrency` clients each send the same request again as soon as the
 * previous answer's body is read, for `durationMs`; or `burst` sends `count` requests at once.
 * Times are taken here, around fetch and body read.
 */

export interface LoadRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  count: number;
  statuses: Record<string, number>;
  /** Milliseconds, in completion order. */
  latencies: number[];
  elapsedMs: number;
  /** First body of an unexpected status, for failure messages. */
  sample: string | null;
}

async function once(req: LoadRequest): Promise<{ status: number; ms: number; body: string }> {
  const t0 = performance.now();
  try {
    const res = await fetch(req.url, {
      method: req.method ?? 'GET',
      ...(req.headers ? { headers: req.headers } : {}),
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
    const body = await res.text();
    return { status: res.status, ms: performance.now() - t0, body };
  } catch (err) {
    return { status: 0, ms: performance.now() - t0, body: String(err) };
  }
}

function collect(): LoadResult & { add(r: { status: number; ms: number; body: string }): void } {
  const result: LoadResult = { count: 0, statuses: {}, latencies: [], elapsedMs: 0, sample: null };
  return {
    ...result,
    add(r) {
      this.count += 1;
      this.statuses[String(r.status)] = (this.statuses[String(r.status)] ?? 0) + 1;
      this.latencies.push(r.ms);
      if (r.status !== 200 && this.sample === null) this.sample = `${r.status} ${r.body.slice(0, 300)}`;
    },
  };
}

serveIpc({
  loop: async ({
    request,
    concurrency,
    durationMs,
  }: {
    request: LoadRequest;
    concurrency: number;
    durationMs: number;
  }) => {
    const out = collect();
    const t0 = performance.now();
    const end = t0 + durationMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < end) out.add(await once(request));
      }),
    );
    const { add: _add, ...result } = out;
    return { ...result, elapsedMs: performance.now() - t0 };
  },
  burst: async ({ request, count }: { request: LoadRequest; count: number }) => {
    const out = collect();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: count }, async () => out.add(await once(request))));
    const { add: _add, ...result } = out;
    return { ...result, elapsedMs: performance.now() - t0 };
  },
});
