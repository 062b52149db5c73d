import type { LogEntry } from '@ebay-connector/contracts';
import { vi } from 'vitest';

/** A stand-in for the browser's EventSource, so tests can push `entry` events. */
export class FakeEventSource extends EventTarget {
  static instances: FakeEventSource[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly url: string;
  readyState = FakeEventSource.CONNECTING;

  constructor(url: string | URL) {
    super();
    this.url = String(url);
    FakeEventSource.instances.push(this);
    queueMicrotask(() => {
      this.readyState = FakeEventSource.OPEN;
      this.dispatchEvent(new Event('open'));
    });
  }

  emit(entry: LogEntry): void {
    this.dispatchEvent(
      new MessageEvent('entry', { data: JSON.stringify(entry), lastEventId: String(entry.id) }),
    );
  }

  /** The connection is lost: the browser retries by itself (`give up`: it has stopped, e.g. after a 502). */
  drop(giveUp = false): void {
    this.readyState = giveUp ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.dispatchEvent(new Event('error'));
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }

  static install(): void {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  }

  static latestOpen(): FakeEventSource | undefined {
    return FakeEventSource.instances.filter((source) => source.readyState !== FakeEventSource.CLOSED).at(-1);
  }
}
