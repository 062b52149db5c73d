import type { LogEntry } from '@ebay-connector/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LogFilter } from '../logs/queryLogs.ts';
import { BadRequestError } from './errors.ts';
import type { HttpDeps } from './types.ts';

/**
 * Server-Sent Events for the terminal stream: event `entry`, `id:` = the entry id (so a
 * browser's EventSource resumes with Last-Event-ID), heartbeat comments to keep proxies
 * from timing out an idle stream. A client that cannot keep up is disconnected rather than
 * buffered without bound; it reconnects and resumes.
 */

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

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
  filter: LogFilter,
  resumeAfterId: number | null,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | undefined;
  // Entries that arrive before the stream is announced wait here.
  let early: string | null = '';
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
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
}
