import { chmodSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import type { CliIo } from './registry.ts';

/**
 * The CLI on the live data: the embedded server (`npm start`) listens on
 * DATA_DIR/run/control.sock (directory 0700, socket 0600: only the same OS user), the CLI sends
 * its argv as one JSON line, the server runs the command against its open database and streams
 * back `{"out":…}` / `{"err":…}` lines and a final `{"exit":code}`.
 */

export type RunCommand = (argv: readonly string[], io: CliIo) => Promise<number>;

const MAX_REQUEST = 64 * 1024;

export function controlSocketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'run', 'control.sock');
}

export async function startControlChannel(
  dataDir: string,
  run: RunCommand,
  logger: Logger,
): Promise<{ close(): Promise<void> }> {
  const socketPath = controlSocketPath(dataDir);
  mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
  chmodSync(path.dirname(socketPath), 0o700);
  // We hold DATA_DIR's lock: a socket file left here belongs to a process that is gone.
  try {
    unlinkSync(socketPath);
  } catch {}
  const server: Server = createServer((socket) => {
    let buffer = '';
    let started = false;
    const send = (msg: object) => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(msg)}\n`);
    };
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      if (started) return;
      buffer += chunk;
      if (buffer.length > MAX_REQUEST) {
        send({ err: 'Request too large' });
        send({ exit: 2 });
        socket.end();
        started = true;
        return;
      }
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      started = true;
      let argv: string[];
      try {
        const parsed = JSON.parse(buffer.slice(0, nl)) as { argv?: unknown };
        if (!Array.isArray(parsed.argv) || !parsed.argv.every((a) => typeof a === 'string'))
          throw new Error();
        argv = parsed.argv;
      } catch {
        send({ err: 'Bad request' });
        send({ exit: 2 });
        socket.end();
        return;
      }
      logger.info({ command: argv.slice(0, 2).join(' ') }, 'CLI command over the control channel');
      run(argv, { out: (line) => send({ out: line }), err: (line) => send({ err: line }) }).then(
        (code) => {
          send({ exit: code });
          socket.end();
        },
        (err: unknown) => {
          logger.error({ err }, 'CLI command failed');
          send({ err: err instanceof Error ? err.message : String(err) });
          send({ exit: 1 });
          socket.end();
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        try {
          unlinkSync(socketPath);
        } catch {}
      }),
  };
}

/** Runs argv on the server holding DATA_DIR; resolves with the command's exit code. */
export function forwardToServer(dataDir: string, argv: readonly string[], io: CliIo): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(controlSocketPath(dataDir));
    let exit: number | null = null;
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`${JSON.stringify({ argv })}\n`));
    const lines = createInterface({ input: socket });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { out?: string; err?: string; exit?: number };
        if (typeof msg.out === 'string') io.out(msg.out);
        if (typeof msg.err === 'string') io.err(msg.err);
        if (typeof msg.exit === 'number') exit = msg.exit;
      } catch {}
    });
    socket.on('close', () => {
      if (exit === null) io.err('The server closed the control channel before the command finished');
      resolve(exit ?? 1);
    });
  });
}
