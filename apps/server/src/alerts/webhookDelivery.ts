import { createHmac, timingSafeEqual } from 'node:crypto';
import { maskFreeText } from '../logs/mask.ts';
import type { AlertEvent } from './alertEvents.ts';

/**
 * One signed POST of an alert event. The body is the event plus the attempt and send time;
 * `X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` with ALERT_WEBHOOK_SECRET
 * (GitHub's scheme), and `X-Alert-Timestamp` (Unix seconds, also `delivery.sent_at` in the
 * signed body) so a receiver can refuse replays.
 *
 * Redirects are not followed: a 3xx is a failed delivery (not retried), logged with its
 * Location, so an event never goes to an address nobody configured.
 */

export const SIGNATURE_HEADER = 'x-signature-256';
export const TIMESTAMP_HEADER = 'x-alert-timestamp';

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** For receivers (and tests): constant-time check of the signature header against the raw body. */
export function verifySignature(secret: string, body: string, header: string | undefined | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type DeliveryResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; retryable: boolean };

export interface WebhookTarget {
  url: string;
  secret?: string | undefined;
  timeoutMs: number;
}

export async function deliverOnce(
  target: WebhookTarget,
  event: AlertEvent,
  attempt: number,
  now: Date,
): Promise<DeliveryResult> {
  const body = JSON.stringify({ ...event, delivery: { attempt, sent_at: now.toISOString() } });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'ebay-connector-alerts/1',
    'x-alert-event-id': event.id,
    'x-alert-event-type': event.type,
    [TIMESTAMP_HEADER]: String(Math.floor(now.getTime() / 1000)),
  };
  if (target.secret) headers[SIGNATURE_HEADER] = signBody(target.secret, body);
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(target.timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel().catch(() => {});
    if (response.ok) return { ok: true, status: response.status };
    if (response.status >= 300 && response.status < 400) {
      const location = describeLocation(response.headers.get('location'), target.url);
      return {
        ok: false,
        status: response.status,
        error: `HTTP ${response.status} redirect to ${location} (redirects are not followed)`,
        retryable: false,
      };
    }
    // A 4xx other than timeout / rate limit will not get better by itself.
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, status: response.status, error: `HTTP ${response.status}`, retryable };
  } catch (err) {
    const error =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${target.timeoutMs} ms`
        : describe(err);
    return { ok: false, status: null, error, retryable: true };
  }
}

const MAX_LOCATION_CHARS = 200;

/**
 * A redirect's Location as it may be logged and stored: resolved against the webhook URL, its
 * query left out (it may carry a token: `?…`), control characters replaced, bounded.
 */
export function describeLocation(location: string | null, base: string): string {
  if (!location) return '(no Location header)';
  let shown: string;
  try {
    const url = new URL(location, base);
    shown = maskFreeText(`${url.origin}${url.pathname}${url.search ? '?…' : ''}`);
  } catch {
    shown = maskFreeText(location.split('?')[0] ?? '');
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  shown = shown.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return shown.length > MAX_LOCATION_CHARS ? `${shown.slice(0, MAX_LOCATION_CHARS)}…` : shown;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${err.message} (${cause.code})` : err.message;
}
