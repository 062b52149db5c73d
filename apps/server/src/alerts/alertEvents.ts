import { randomUUID } from 'node:crypto';
import { environmentSchema } from '@ebay-connector/contracts';
import { z } from 'zod';

/**
 * The events an alert webhook receives: one per state change of an account (ok, failing,
 * needs_reconnect) or of a background loop (ok, stale). Payloads hold no secrets: ids,
 * names, error codes and masked messages only.
 */

/** `deleted`: eBay's Marketplace Account Deletion notification erased the account. */
export type AccountAlertState = 'ok' | 'failing' | 'needs_reconnect' | 'deleted';
export type LoopAlertState = 'ok' | 'stale';
/** The eBay keyset's refresh-token quota: `warning` past 80 % of the daily limit (used or projected). */
export type QuotaAlertState = 'ok' | 'warning';

const alertEventTypeSchema = z.enum([
  'account.failing',
  'account.recovered',
  'account.needs_reconnect',
  'account.deleted',
  'loop.stale',
  'loop.recovered',
  'quota.warning',
  'quota.recovered',
]);
export type AlertEventType = z.infer<typeof alertEventTypeSchema>;

const alertSubjectSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('account'),
    id: z.string(),
    org_id: z.string(),
    house_name: z.string(),
    environment: environmentSchema,
    ebay_username: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('loop'),
    id: z.string(),
    interval_seconds: z.number(),
    last_finished_at: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('quota'),
    /** The grant type: `refresh_token`. */
    id: z.string(),
    limit: z.number(),
    used_24h: z.number(),
    projected_24h: z.number(),
  }),
]);
export type AlertSubject = z.infer<typeof alertSubjectSchema>;

/** An event as sent, and as kept in `alert_states.last_event` to be sent again. */
export const alertEventSchema = z.object({
  id: z.string(),
  type: alertEventTypeSchema,
  occurred_at: z.string(),
  previous_state: z.string(),
  state: z.string(),
  subject: alertSubjectSchema,
  reason: z.object({ code: z.string().nullable(), message: z.string().nullable() }),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;

export function accountEventType(state: AccountAlertState): AlertEventType {
  if (state === 'needs_reconnect') return 'account.needs_reconnect';
  if (state === 'deleted') return 'account.deleted';
  return state === 'failing' ? 'account.failing' : 'account.recovered';
}

export function loopEventType(state: LoopAlertState): AlertEventType {
  return state === 'stale' ? 'loop.stale' : 'loop.recovered';
}

export function quotaEventType(state: QuotaAlertState): AlertEventType {
  return state === 'warning' ? 'quota.warning' : 'quota.recovered';
}

export function buildAlertEvent(
  input: Omit<AlertEvent, 'id' | 'occurred_at' | 'type'> & { type: AlertEventType },
  now: Date,
): AlertEvent {
  return { id: randomUUID(), occurred_at: now.toISOString(), ...input };
}

export const subjectKeyOf = (subject: AlertSubject) => `${subject.kind}:${subject.id}`;
