/**
 * The child side of the benchmarks' IPC (bench/lib/ipc.ts is the parent's): imports nothing, so
 * a measured child loads only what it measures.
 */

type Handler = (args: never) => unknown;
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Child side: answers `{id, op, args}` messages with the named handler's result. */
export function serveIpc(handlers: Record<string, Handler>): void {
  process.on('message', (message: { id: number; op: string; args: unknown }) => {
    const handler = handlers[message.op];
    const reply = (r: Reply) => process.send?.(r);
    if (!handler) {
      reply({ id: message.id, ok: false, error: `unknown op ${message.op}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.args as never))
      .then(
        (result) => reply({ id: message.id, ok: true, result }),
        (err: unknown) =>
          reply({
            id: message.id,
            ok: false,
            error: err instanceof Error ? (err.stack ?? err.message) : String(err),
          }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  // Messages sent before the handler exists would be lost: the parent waits for this.
  process.send?.({ ready: true });
}
