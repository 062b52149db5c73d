import { type LogEntry, logEntrySchema } from '@ebay-connector/contracts';
import { onlineManager } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';

export type StreamState = 'off' | 'connecting' | 'live' | 'reconnecting' | 'unsupported';

const FLUSH_MS = 150;
/** A stream the browser gave up on is opened again after 1 s, then 2 s, 4 s, at most 5 s apart. */
const REOPEN_FIRST_MS = 1_000;
const REOPEN_MAX_MS = 5_000;

/** The stream's URL resuming after `afterId` (a new EventSource sends no Last-Event-ID). */
function resumeUrl(url: string, afterId: number | null): string {
  if (afterId === null) return url;
  const resumed = new URL(url, window.location.href);
  resumed.searchParams.set('after_id', String(afterId));
  return resumed.href;
}

/**
 * Subscribes to the terminal's Server-Sent Events while `url` is set. Entries
 * arrive in bursts during a cycle, so they are handed over in small batches
 * rather than one render per event. EventSource reconnects by itself and sends
 * Last-Event-ID, so a dropped connection resumes where it stopped; when it gives
 * up instead (a proxy's 502 while the server is away) the stream is opened again
 * here, after the newest entry received, and at once when the page sees the
 * server answer again (connectivity.ts brings the query client back online).
 */
export function useLiveStream(url: string | null, onEntries: (entries: LogEntry[]) => void): StreamState {
  const [state, setState] = useState<StreamState>('off');
  const onEntriesRef = useRef(onEntries);
  onEntriesRef.current = onEntries;

  useEffect(() => {
    if (!url) {
      setState('off');
      return;
    }
    if (typeof EventSource === 'undefined') {
      setState('unsupported');
      return;
    }
    let source: EventSource | null = null;
    let lastId: number | null = null;
    let reopenTimer: ReturnType<typeof setTimeout> | undefined;
    let reopenDelay = REOPEN_FIRST_MS;
    let buffer: LogEntry[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      const batch = buffer;
      buffer = [];
      if (batch.length > 0) onEntriesRef.current(batch);
    };

    const open = () => {
      clearTimeout(reopenTimer);
      reopenTimer = undefined;
      source?.close();
      const current = new EventSource(resumeUrl(url, lastId), { withCredentials: true });
      source = current;
      current.addEventListener('open', () => {
        reopenDelay = REOPEN_FIRST_MS;
        setState('live');
      });
      // Fired for a lost connection (EventSource then reconnects by itself) and for the
      // server's own `event: error` message (the connection may still be open).
      current.addEventListener('error', () => {
        if (current.readyState === EventSource.OPEN) return;
        setState('reconnecting');
        if (current.readyState === EventSource.CLOSED && reopenTimer === undefined) {
          reopenTimer = setTimeout(open, reopenDelay);
          reopenDelay = Math.min(reopenDelay * 2, REOPEN_MAX_MS);
        }
      });
      current.addEventListener('entry', (event) => {
        let data: unknown;
        try {
          data = JSON.parse((event as MessageEvent<string>).data);
        } catch {
          return;
        }
        const parsed = logEntrySchema.safeParse(data);
        if (!parsed.success) return;
        lastId = Math.max(lastId ?? 0, parsed.data.id);
        buffer.push(parsed.data);
        flushTimer ??= setTimeout(flush, FLUSH_MS);
      });
    };
    const stopWatchingOnline = onlineManager.subscribe((online) => {
      if (online && source && source.readyState !== EventSource.OPEN) open();
    });
    setState('connecting');
    open();
    return () => {
      stopWatchingOnline();
      clearTimeout(reopenTimer);
      source?.close();
      if (flushTimer) clearTimeout(flushTimer);
      flush();
    };
  }, [url]);

  return state;
}
