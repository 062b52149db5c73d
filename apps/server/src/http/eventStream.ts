import type { LogEntry } from '@ebay-connector/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findSessionUserById, type SessionUser } from '../auth/sessions.ts';
import type { LogFilter } from '../logs/queryLogs.ts';
import { BadRequestError, TooManyRequestsError } from './errors.ts';
import type { HttpDeps } from './types.ts';

/**
 * Server-Sent Events for the terminal stream: event `entry`, `id:` = the entry id (so a
 * browser's EventSource resumes with Last-Event-ID), heartbeat comments to keep proxies
 * from timing out an idle stream. A client that cannot keep up is disconnected rather than
 * buffered without bound; it reconnects and resumes.
 *
 * A stream lives as long as its session: it re-checks the session every
 * `streamSessionCheckMs` (one indexed query) and ends with `event: error` once the session
 * is gone (logout, expiry), its user disabled or deleted, or moved out of the org. A
 * session holds at most MAX_STREAMS_PER_SESSION streams on one replica.
 */

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
export const MAX_STREAMS_PER_SESSION = 5;

/** Whether the stream's session still stands for the same user in the same org. */
async function sessionStillValid(deps: HttpDeps, auth: SessionUser): Promise<boolean> {
  const now = await findSessionUserById(deps.ctx.db, auth.sessionId, deps.ctx.now());
  return now !== null && now.user.id === auth.user.id && now.org.id === auth.org.id;
}

/** Counts a session's open streams; throws 429 (before anything is written) past the cap. */
function claimStreamSlot(deps: HttpDeps, sessionId: string): () => void {
  const open = deps.streamsBySession.get(sessionId) ?? 0;
  if (open >= MAX_STREAMS_PER_SESSION) {
    throw new TooManyRequestsError(
      `this session already has ${MAX_STREAMS_PER_SESSION} live streams open; close one (another tab) first`,
      5,
    );
  }
  deps.streamsBySession.set(sessionId, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (deps.streamsBySession.get(sessionId) ?? 1) - 1;
    if (left > 0) deps.streamsBySession.set(sessionId, left);
    else deps.streamsBySession.delete(sessionId);
  };
}

function streamHeaders(request: FastifyRequest): Record<string, string> {
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // The socket is not reused after a stream ends: closing it lets shutdown finish at once.
    connection: 'close',
    'x-accel-buffering': 'no',
    'x-request-id': String(request.id),
  };
}

export function parseLastEventId(header: string | string[] | undefined): number | null {
  if (header === undefined || header === '') return null;
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !/^\d{1,15}$/.test(value)) throw new BadRequestError('Last-Event-ID: must be an entry id');
  return Number(value);
}

export function formatEntryEvent(entry: LogEntry): string {
  return `id: ${entry.id}\nevent: entry\ndata: ${JSON.stringify(entry)}\n\n`;
}

export async function openLogEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: HttpDeps,
  auth: SessionUser,
  filter: LogFilter,
  resumeAfterId: number | null,
): Promise<void> {
  const releaseSlot = claimStreamSlot(deps, auth.sessionId);
  reply.hijack();
  const res = reply.raw;
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | undefined;
  let sessionCheck: NodeJS.Timeout | undefined;
  // Entries that arrive before the stream is announced wait here.
  let early: string | null = '';
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearTimeout(sessionCheck);
    releaseSlot();
    unsubscribe?.();
    deps.openStreams.delete(close);
    // Closed (server shutdown) before the stream was announced: still an event stream, so a
    // browser's EventSource reconnects (to another replica) instead of giving up on it.
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(200, streamHeaders(request));
      res.write('retry: 2000\n\n');
    }
    res.end();
  };
  const write = (chunk: string) => {
    if (closed) return;
    if (early !== null) {
      early += chunk;
      return;
    }
    res.write(chunk);
    if (res.writableLength > MAX_BUFFERED_BYTES) close();
  };
  deps.openStreams.add(close);
  res.on('close', close);
  // Subscribe before saying "connected": whatever a client writes once it sees the stream
  // open is then certain to be sent on it.
  let failed = false;
  try {
    const stop = await deps.logStream.subscribe(
      filter,
      (entries) => write(entries.map(formatEntryEvent).join('')),
      resumeAfterId,
    );
    if (closed) stop();
    else unsubscribe = stop;
  } catch (err) {
    request.log.error({ err }, 'terminal stream could not start');
    failed = true;
  }
  if (closed) return;
  res.writeHead(200, streamHeaders(request));
  const backlog = early;
  early = null;
  write(`retry: 2000\n: connected\n\n${backlog}`);
  if (failed) {
    write('event: error\ndata: {"code":"internal_error","message":"the stream could not start"}\n\n');
    close();
    return;
  }
  heartbeat = setInterval(() => write(': heartbeat\n\n'), deps.sseHeartbeatMs);
  const checkSession = async () => {
    let valid = true;
    try {
      valid = await sessionStillValid(deps, auth);
    } catch (err) {
      // A database hiccup does not end the stream; the next check decides.
      request.log.warn({ err }, 'terminal stream: session check failed');
    }
    if (closed) return;
    if (!valid) {
      write(
        'event: error\ndata: {"code":"session_ended","message":"the session has ended; sign in again"}\n\n',
      );
      close();
      return;
    }
    sessionCheck = setTimeout(checkSession, deps.streamSessionCheckMs);
  };
  sessionCheck = setTimeout(checkSession, deps.streamSessionCheckMs);
}
