import type { ChildProcess } from 'node:child_process';
import { startNodeProcess } from '@ebay-connector/server/test-support';
import type { Reply } from './ipcChild.ts';

/**
 * Request/response over a child process's IPC channel: the simulator and the worker run as
 * separate OS processes so their CPU time and memory can be measured (or kept out of a
 * measurement) on their own. This is the parent's side; children answer with `serveIpc`
 * (ipcChild.ts).
 */

export interface BenchChild {
  process: ChildProcess;
  pid: number;
  /** Resolves once the child serves requests. */
  ready: Promise<void>;
  call<T>(op: string, args?: unknown): Promise<T>;
  /** Last lines of the child's stdout/stderr, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `script` with an IPC channel (the test-support spawner: one process, so its pid is the one measured). */
export function spawnBenchChild(
  script: string,
  opts: { env?: Record<string, string>; nodeArgs?: string[] } = {},
): BenchChild {
  const node = startNodeProcess({
    script,
    ipc: true,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
  });
  const child = node.process;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let markReady = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    void node.exit.then(({ code, signal }) =>
      reject(new Error(`child ${script} exited (${code ?? signal}) before it was ready:\n${node.tail()}`)),
    );
  });
  ready.catch(() => {});
  child.on('message', (reply: Reply | { ready: true }) => {
    if ('ready' in reply) {
      markReady();
      return;
    }
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new Error(reply.error));
  });
  void node.exit.then(({ code, signal }) => {
    for (const p of pending.values())
      p.reject(new Error(`child ${script} exited (${code ?? signal}):\n${node.tail()}`));
    pending.clear();
  });
  return {
    process: child,
    pid: node.pid,
    ready,
    call<T>(op: string, args?: unknown) {
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args });
      });
    },
    output: () => node.tail(),
    async stop() {
      // serveIpc children exit when the channel closes.
      await node.stop('disconnect', 10_000);
    },
  };
}
