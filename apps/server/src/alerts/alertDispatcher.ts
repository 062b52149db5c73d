import type { Logger } from 'pino';
import { type AlertEvent, subjectKeyOf } from './alertEvents.ts';
import { type DeliveryResult, deliverOnce, type WebhookTarget } from './webhookDelivery.ts';

/**
 * Delivers alert events in the background: `enqueue` returns at once, so a slow or failing
 * receiver never holds up the worker. Each event is retried with exponential backoff (and
 * jitter) on network errors, timeouts, 5xx, 408 and 429; events of one subject go out in
 * order, different subjects in parallel (bounded). Every attempt is logged. The queue lives
 * in memory; while an event is held here its state row is touched every minute
 * (`onHeartbeat`), and an event lost with its process stays `pending`, untouched, until
 * detectAndSendAlerts sends it again.
 */

export interface AlertDispatcherOptions extends WebhookTarget {
  logger: Logger;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  concurrency?: number;
  now?: () => Date;
  random?: () => number;
  /**
   * Called every `heartbeatMs` with the ids of the events this dispatcher still holds (queued or
   * retrying), so their state rows show a live sender and no other replica sends them again.
   */
  onHeartbeat?: (eventIds: string[]) => Promise<void>;
  heartbeatMs?: number;
  /** Called once per event when it is delivered or given up on (the state row records it). */
  onSettled?: (
    event: AlertEvent,
    outcome: { delivered: boolean; attempts: number; error: string | null },
  ) => Promise<void>;
}

export class AlertDispatcher {
  private readonly chains = new Map<string, Promise<void>>();
  /** Ids of the events queued or being delivered here. */
  private readonly held = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private closed = false;
  private readonly wake = new Set<() => void>();
  private readonly log: Logger;

  constructor(private readonly opts: AlertDispatcherOptions) {
    this.log = opts.logger.child({ component: 'alert_webhook', target: safeOrigin(opts.url) });
  }

  enqueue(event: AlertEvent): void {
    if (this.closed) {
      this.log.warn({ event_id: event.id, type: event.type }, 'Alert dropped: the dispatcher is closed');
      return;
    }
    if (this.held.has(event.id)) return; // already on its way from here
    this.held.add(event.id);
    this.startHeartbeat();
    const key = subjectKeyOf(event.subject);
    const run = (this.chains.get(key) ?? Promise.resolve())
      .then(() => this.deliver(event))
      .catch((err: unknown) => this.log.error({ err, event_id: event.id }, 'Alert delivery crashed'));
    this.chains.set(key, run);
    this.inFlight.add(run);
    void run.finally(() => {
      this.held.delete(event.id);
      if (this.held.size === 0) this.stopHeartbeat();
      this.inFlight.delete(run);
      if (this.chains.get(key) === run) this.chains.delete(key);
    });
  }

  /** Resolves when every queued event has been delivered or given up on. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops retrying (pending backoffs end now) and accepts no new events. */
  close(): void {
    this.closed = true;
    this.stopHeartbeat();
    for (const wake of this.wake) wake();
  }

  get pending(): number {
    return this.inFlight.size;
  }

  private async deliver(event: AlertEvent): Promise<void> {
    const max = this.opts.maxAttempts ?? 6;
    const now = this.opts.now ?? (() => new Date());
    let result: DeliveryResult = { ok: false, status: null, error: 'not attempted', retryable: false };
    let attempt = 0;
    while (attempt < max && !(attempt > 0 && this.closed)) {
      attempt += 1;
      const started = performance.now();
      result = await this.withSlot(() => deliverOnce(this.opts, event, attempt, now()));
      const fields = {
        event_id: event.id,
        type: event.type,
        attempt,
        status: result.status,
        duration_ms: Math.round(performance.now() - started),
      };
      if (result.ok) {
        this.log.info(fields, `Alert ${event.type} delivered`);
        break;
      }
      if (!result.retryable || attempt >= max || this.closed) {
        this.log.error(
          { ...fields, error: result.error },
          `Alert ${event.type} not delivered after ${attempt} attempts: ${result.error}`,
        );
        break;
      }
      const delay = this.backoffMs(attempt);
      this.log.warn(
        { ...fields, error: result.error, retry_in_ms: delay },
        `Alert ${event.type} delivery failed; retrying`,
      );
      await this.sleep(delay);
    }
    const outcome = { delivered: result.ok, attempts: attempt, error: result.ok ? null : result.error };
    await this.opts
      .onSettled?.(event, outcome)
      ?.catch((err: unknown) =>
        this.log.warn({ err, event_id: event.id }, 'Could not record the alert delivery'),
      );
  }

  private startHeartbeat(): void {
    if (this.heartbeat || !this.opts.onHeartbeat) return;
    this.heartbeat = setInterval(() => {
      void this.opts
        .onHeartbeat?.([...this.held])
        .catch((err: unknown) => this.log.warn({ err }, 'Could not mark the queued alerts as alive'));
    }, this.opts.heartbeatMs ?? 60_000);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private backoffMs(attempt: number): number {
    const base = this.opts.baseDelayMs ?? 1_000;
    const capped = Math.min(this.opts.maxDelayMs ?? 60_000, base * 2 ** (attempt - 1));
    return Math.round(capped * (0.8 + 0.4 * (this.opts.random ?? Math.random)()));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake.add(done);
    });
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    const limit = this.opts.concurrency ?? 4;
    while (this.active >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await fn();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Scheme, host and port only: a webhook URL may carry a token in its path or query. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}
