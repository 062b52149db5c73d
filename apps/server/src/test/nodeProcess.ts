import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from '../config/env.ts';

/**
 * The one way the tests, the benchmarks and the reliability suite start a process of their own:
 * `node --import tsx <script>` as a single OS process (signals reach it, its pid is the one
 * measured), configured only by the variables it is given — none of the runner's own server
 * configuration (a CI's DATABASE_URL, an operator's EBAY_* credentials) leaks in.
 */

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface NodeProcessOptions {
  /** Absolute path of the script. */
  script: string;
  args?: string[];
  /** Node options placed before `--import tsx` (profiling flags). */
  nodeArgs?: string[];
  /** Its configuration, added to the runner's environment without the server's variables. */
  env?: Record<string, string>;
  cwd?: string;
  /** For messages (default: the script's file name). */
  name?: string;
  /** Every byte it prints is appended to this file too. */
  logFile?: string;
  /** Keeps stdin open for `writeLine` (closed otherwise). */
  stdin?: boolean;
  /** Opens an IPC channel (`process.send`, `child.on('message')`). */
  ipc?: boolean;
}

export interface NodeProcess {
  name: string;
  process: ChildProcess;
  pid: number;
  /** Its last lines of stdout and stderr, oldest first. */
  output: string[];
  tail(lines?: number): string;
  exit: Promise<ExitInfo>;
  alive(): boolean;
  /** The first line, printed already or to come, that matches; rejects on timeout or exit. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  writeLine(line: string): void;
  /** Asks it to stop (a signal, or closing the IPC channel); SIGKILL once `graceMs` passed. */
  stop(how?: NodeJS.Signals | 'disconnect', graceMs?: number): Promise<ExitInfo>;
}

const KEPT_LINES = 2_000;
/** Names `parseEnv` refuses when unknown: never passed on either. */
const SERVER_PREFIXES = /^(EBAY_|TOKEN_|ADMIN_|ALERT_)/;

/** The runner's environment without any variable the server reads. */
export function inheritedEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const serverNames = new Set(Object.keys(envSchema.shape));
  return Object.fromEntries(
    Object.entries(source).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !serverNames.has(entry[0]) && !SERVER_PREFIXES.test(entry[0]),
    ),
  );
}

export function startNodeProcess(o: NodeProcessOptions): NodeProcess {
  const name = o.name ?? path.basename(o.script, '.ts');
  const proc = spawn(
    process.execPath,
    [...(o.nodeArgs ?? []), '--import', 'tsx', o.script, ...(o.args ?? [])],
    {
      ...(o.cwd ? { cwd: o.cwd } : {}),
      env: { ...inheritedEnv(), ...o.env },
      stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(o.ipc ? (['ipc'] as const) : [])],
    },
  );
  if (o.logFile) mkdirSync(path.dirname(o.logFile), { recursive: true });
  const log = o.logFile ? createWriteStream(o.logFile, { flags: 'a' }) : null;
  const output: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }>();
  const partial = { stdout: '', stderr: '' };
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    log?.write(chunk);
    const lines = (partial[stream] + chunk.toString('utf8')).split('\n');
    partial[stream] = lines.pop() ?? '';
    for (const line of lines) {
      output.push(line);
      for (const w of waiters) {
        const m = w.pattern.exec(line);
        if (m) w.resolve(m);
      }
    }
    if (output.length > KEPT_LINES) output.splice(0, output.length - KEPT_LINES);
  };
  proc.stdout?.on('data', onData('stdout'));
  proc.stderr?.on('data', onData('stderr'));
  let exited: ExitInfo | null = null;
  const exit = new Promise<ExitInfo>((resolve) => {
    proc.once('exit', (code, signal) => {
      exited = { code, signal };
      if (log) log.end(() => resolve({ code, signal }));
      else resolve({ code, signal });
    });
  });
  const tail = (lines = 30) => output.slice(-lines).join('\n');
  return {
    name,
    process: proc,
    pid: proc.pid ?? -1,
    output,
    tail,
    exit,
    alive: () => exited === null,
    waitForLine(pattern, timeoutMs = 30_000) {
      for (const line of output) {
        const m = pattern.exec(line);
        if (m) return Promise.resolve(m);
      }
      return new Promise((resolve, reject) => {
        const waiter = {
          pattern,
          resolve: (m: RegExpExecArray) => {
            settle();
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          settle();
          reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms:\n${tail()}`));
        }, timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        waiters.add(waiter);
        void exit.then((e) => {
          settle();
          reject(
            new Error(`${name} exited (${e.code ?? e.signal}) before a line matching ${pattern}:\n${tail()}`),
          );
        });
      });
    },
    writeLine: (line) => proc.stdin?.write(`${line}\n`),
    async stop(how = 'SIGTERM', graceMs = 30_000) {
      if (exited) return exited;
      if (how !== 'disconnect') proc.kill(how);
      else if (proc.connected) proc.disconnect();
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const info = await exit;
      clearTimeout(timer);
      return info;
    },
  };
}
