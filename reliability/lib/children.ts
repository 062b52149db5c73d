import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { LOG_DIR, REPO_ROOT } from './paths.ts';

/**
 * Child processes of the suite (simulator, web and worker roles): each one's stdout and stderr
 * go to `test-results/reliability/logs/<name>.log` (scanned for secrets at the end) and are
 * watched line by line. Only processes started here are ever signalled.
 */

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  name: string;
  process: ChildProcess;
  logFile: string;
  exit: Promise<ExitInfo>;
  alive(): boolean;
  /** The last lines of output, for failure messages. */
  tail(n?: number): string;
  /** Resolves with the first line (past or future) that matches. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Sends `signal` and waits for the exit; SIGKILL if it has not exited after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitInfo>;
}

const started = new Set<Child>();

/** Variables a child must not inherit from the test runner's environment. */
const PRIVATE_ENV =
  /^(EBAY_|TOKEN_|ADMIN_|ALERT_|DATABASE_URL$|LOG_LEVEL$|PORT$|PUBLIC_URL$|HOST$|DATA_DIR$)/;

export function spawnNodeScript(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
): Child {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !PRIVATE_ENV.test(k)));
  const proc = spawn(process.execPath, ['--import', 'tsx', path.resolve(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    env: { ...inherited, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  const carry = { stdout: '', stderr: '' };
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    log.write(chunk);
    const text = carry[stream] + chunk.toString('utf8');
    const parts = text.split('\n');
    carry[stream] = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > 2000) lines.splice(0, 1000);
      for (const w of [...waiters]) {
        const m = w.pattern.exec(line);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  };
  proc.stdout?.on('data', onData('stdout'));
  proc.stderr?.on('data', onData('stderr'));
  let exited: ExitInfo | null = null;
  const exit = new Promise<ExitInfo>((resolve) => {
    proc.once('exit', (code, signal) => {
      exited = { code, signal };
      log.end(() => resolve({ code, signal }));
    });
  });
  const tail = (n = 30) => lines.slice(-n).join('\n');
  const child: Child = {
    name,
    process: proc,
    logFile,
    exit,
    alive: () => exited === null,
    tail,
    waitForLine(pattern, timeoutMs) {
      for (const line of lines) {
        const m = pattern.exec(line);
        if (m) return Promise.resolve(m);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms:\n${tail()}`));
        }, timeoutMs);
        waiters.push({
          pattern,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
        void exit.then((e) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${e.code ?? e.signal}) before ${pattern}:\n${tail()}`));
        });
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 35_000) {
      if (exited) return exited;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const info = await exit;
      clearTimeout(timer);
      started.delete(child);
      return info;
    },
  };
  started.add(child);
  return child;
}

/** Cleanup after the suite: SIGKILL whatever this suite started and is still running. */
export async function killStartedChildren(): Promise<void> {
  await Promise.all([...started].map((c) => c.stop('SIGKILL', 5_000)));
}
