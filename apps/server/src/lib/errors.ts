/** Whatever was thrown, as an Error (graphile-worker's `coerceError`). */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(`Non-Error thrown: ${JSON.stringify(thrown)}`);
  } catch {
    return new Error(`Non-Error thrown: ${String(thrown)}`);
  }
}

/** A one-line description of an error, including the cause chain and the pg/network code. */
export function describeError(error: Error): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    const message = current.message || current.name;
    parts.push(typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message);
    current = current.cause;
  }
  // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1) has an empty message.
  if (error instanceof AggregateError && parts[0] === 'AggregateError') {
    const inner = error.errors.map((e) => describeError(coerceError(e)));
    return [...new Set(inner)].join('; ') || parts[0];
  }
  return parts.join(': ').slice(0, 2000);
}
