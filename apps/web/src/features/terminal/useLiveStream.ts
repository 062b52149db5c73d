import { type LogEntry, logEntrySchema } from '@ebay-connector/contracts';
import { useEffect, useRef, useState } from 'react';

export type StreamState = 'off' | 'connecting' | 'live' | 'reconnecting' | 'unsupported';

const FLUSH_MS = 150;

/**
 * Subscribes to the terminal's Server-Sent Events while `url` is set. Entries
 * arrive in bursts during a cycle, so they are handed over in small batches
 * rather than one render per event. EventSource reconnects by itself and sends
 * Last-Event-ID, so a dropped connection resumes where it stopped.
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
    setState('connecting');
    const source = new EventSource(url, { withCredentials: true });
    let buffer: LogEntry[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = buffer;
      buffer = [];
      if (batch.length > 0) onEntriesRef.current(batch);
    };
    source.addEventListener('open', () => setState('live'));
    // Fired for a lost connection (EventSource then reconnects by itself) and for the
    // server's own `event: error` message (the connection may still be open).
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) setState('off');
      else if (source.readyState === EventSource.CONNECTING) setState('reconnecting');
    });
    source.addEventListener('entry', (event) => {
      let data: unknown;
      try {
        data = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return;
      }
      const parsed = logEntrySchema.safeParse(data);
      if (!parsed.success) return;
      buffer.push(parsed.data);
      timer ??= setTimeout(flush, FLUSH_MS);
    });
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
      flush();
    };
  }, [url]);

  return state;
}
