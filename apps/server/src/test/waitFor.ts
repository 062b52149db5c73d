/**
 * The one polling helper of the tests, the benchmarks and the reliability suite: checks
 * `check` until it holds. A check that throws stops the wait with its error (a child that
 * exited, a failed query), so a wait never hides why it cannot succeed.
 */
export interface WaitOptions {
  /** Between two checks (default 20 ms; checks that query a shared database want more). */
  intervalMs?: number;
  /** What is stuck, added to the timeout's message (rows, last log lines…). */
  explain?: () => string | Promise<string>;
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  opts: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const details = opts.explain
        ? `\n${await Promise.resolve()
            .then(opts.explain)
            .catch((e: unknown) => `(no details: ${String(e)})`)}`
        : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${details}`);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 20));
  }
}
