import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Request/response over a child process's IPC channel: the simulator and the worker run as
 * separate OS processes so their CPU time and memory can be measured (or kept out of a
 * measurement) on their own.
 */

type Handler = (args: never) => unknown;
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

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

/** Starts `node --import tsx <script>` (one process, so its pid is the one measured). */
export function spawnBenchChild(
  script: string,
  opts: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): BenchChild {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script], {
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let markReady = () => {};
  let readyFailed = (_e: Error) => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    readyFailed = reject;
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
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const p of pending.values())
        p.reject(new Error(`child ${script} exited (${code ?? signal}):\n${lines.slice(-30).join('\n')}`));
      pending.clear();
      resolve();
      readyFailed(
        new Error(
          `child ${script} exited (${code ?? signal}) before it was ready:\n${lines.slice(-30).join('\n')}`,
        ),
      );
    });
  });
  return {
    process: child,
    pid: child.pid ?? -1,
    ready,
    call<T>(op: string, args?: unknown) {
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, args });
      });
    },
    output: () => lines.slice(-30).join('\n'),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
