import type pg from 'pg';

/**
 * Records the SQL the app sends through a pool (text and parameters), so the benchmark can
 * EXPLAIN exactly the statement an endpoint ran, not a hand-written look-alike.
 */
export interface CapturedQuery {
  text: string;
  values: unknown[];
}

export function captureQueries(pool: pg.Pool) {
  let recording: CapturedQuery[] | null = null;
  const wrap = (target: { query: (...args: unknown[]) => unknown }) => {
    const original = target.query.bind(target);
    target.query = (...args: unknown[]) => {
      if (recording) {
        const [first, second] = args;
        if (typeof first === 'string') recording.push({ text: first, values: (second as unknown[]) ?? [] });
        else if (first && typeof first === 'object' && 'text' in first) {
          const q = first as { text: string; values?: unknown[] };
          recording.push({ text: q.text, values: Array.isArray(second) ? second : (q.values ?? []) });
        }
      }
      return original(...args);
    };
  };
  wrap(pool as unknown as { query: (...args: unknown[]) => unknown });
  // Transactions run on a checked-out client: its statements are recorded too.
  const wrapped = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    wrap(client as unknown as { query: (...args: unknown[]) => unknown });
  });
  return {
    async during<T>(fn: () => Promise<T>): Promise<CapturedQuery[]> {
      recording = [];
      try {
        await fn();
        return recording;
      } finally {
        recording = null;
      }
    },
  };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of a captured statement, run in a transaction that is rolled back,
 * after the `set local` statements the endpoint ran before it (`settings`).
 */
export async function explainAnalyze(
  pool: pg.Pool,
  q: CapturedQuery,
  settings: readonly CapturedQuery[] = [],
): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    for (const setting of settings) await client.query(setting.text, setting.values);
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers, verbose false, costs true) ${q.text}`,
      q.values,
    );
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
}

/** Index names a plan uses (for the table: "index use shown"). */
export function indexesUsed(plan: string): string[] {
  return [
    ...new Set(
      [...plan.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g)].map(
        (m) => m[1]!,
      ),
    ),
  ];
}

export function hasSeqScan(plan: string): string[] {
  return [...new Set([...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]!))];
}
