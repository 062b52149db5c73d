import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One writer per DATA_DIR. `npm start` (and a CLI run on a stopped server) holds
 * DATA_DIR/server.lock, created atomically: the content is written to a private temp file
 * (mode 0600) and hard-linked to the lock name, which fails if the lock exists. A lock whose
 * process is gone (kill(pid, 0) → ESRCH) is stale and taken over.
 */

export interface LockInfo {
  pid: number;
  role: string;
  url: string | null;
  started_at: string;
}

export interface DataDirLock {
  info: LockInfo;
  /** Rewrites the lock (e.g. once the URL is known). */
  update(patch: Partial<Pick<LockInfo, 'url'>>): void;
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(readonly holder: LockInfo) {
    super(
      `DATA_DIR is in use by ${holder.role === 'cli' ? 'a CLI command' : 'a running server'} (pid ${holder.pid}${
        holder.url ? `, ${holder.url}` : ''
      }, since ${holder.started_at}). Stop it first, or use \`npm run cli\` while it runs.`,
    );
  }
}

export function lockPath(dataDir: string): string {
  return path.join(dataDir, 'server.lock');
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as Partial<LockInfo>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return {
      pid: parsed.pid,
      role: String(parsed.role ?? 'unknown').slice(0, 20),
      url: typeof parsed.url === 'string' ? parsed.url.slice(0, 200) : null,
      started_at: String(parsed.started_at ?? '').slice(0, 40),
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Unreadable or half-written by a crashed process: treat as stale.
    return { pid: 0, role: 'unknown', url: null, started_at: '' };
  }
}

export function processAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of DATA_DIR other than this process, or null. */
export function liveHolder(dataDir: string): LockInfo | null {
  const info = readLock(dataDir);
  return info && info.pid !== process.pid && processAlive(info.pid) ? info : null;
}

function writePrivate(file: string, info: LockInfo): string {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(info)}\n`, { mode: 0o600, flag: 'wx' });
  return tmp;
}

/** Takes the lock or throws DataDirLockedError; `onStale` is told about a lock taken over. */
export function acquireDataDirLock(
  dataDir: string,
  opts: { role: string; url?: string | null; onStale?: (stale: LockInfo) => void },
): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const info: LockInfo = {
    pid: process.pid,
    role: opts.role,
    url: opts.url ?? null,
    started_at: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const tmp = writePrivate(file, info);
    try {
      linkSync(tmp, file);
      unlinkSync(tmp);
      return handle(file, info);
    } catch (err) {
      unlinkSync(tmp);
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLock(dataDir);
    if (holder && holder.pid === process.pid) return handle(file, info);
    if (holder && processAlive(holder.pid)) throw new DataDirLockedError(holder);
    if (holder) opts.onStale?.(holder);
    try {
      unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new Error(`Could not take ${file}: another process keeps replacing it`);
}

function handle(file: string, info: LockInfo): DataDirLock {
  let released = false;
  const lock: DataDirLock = {
    info,
    update(patch) {
      Object.assign(info, patch);
      const tmp = writePrivate(file, info);
      renameSync(tmp, file);
    },
    release() {
      if (released) return;
      released = true;
      process.off('exit', lock.release);
      const current = readLock(path.dirname(file));
      if (current?.pid === process.pid) {
        try {
          unlinkSync(file);
        } catch {}
      }
    },
  };
  process.on('exit', lock.release);
  return lock;
}
