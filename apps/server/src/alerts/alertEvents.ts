import { randomUUID } from 'node:crypto';
import type { Environment } from '@ebay-connector/contracts';

/**
 * The events an alert webhook receives: one per state change of an account (ok, failing,
 * needs_reconnect) or of a background loop (ok, stale). Payloads hold no secrets: ids,
 * names, error codes and masked messages only.
 */

export type AccountAlertState = 'ok' | 'failing' | 'needs_reconnect';
export type LoopAlertState = 'ok' | 'stale';

export type AlertEventType =
  | 'account.failing'
  | 'account.recovered'
  | 'account.needs_reconnect'
  | 'loop.stale'
  | 'loop.recovered';

export type AlertSubject =
  | {
      kind: 'account';
      id: string;
      org_id: string;
      house_name: string;
      environment: Environment;
      ebay_username: string | null;
    }
  | { kind: 'loop'; id: string; interval_seconds: number; last_finished_at: string | null };

export interface AlertEvent {
  id: string;
  type: AlertEventType;
  occurred_at: string;
  previous_state: string;
  state: string;
  subject: AlertSubject;
  reason: { code: string | null; message: string | null };
}

export function accountEventType(state: AccountAlertState): AlertEventType {
  if (state === 'needs_reconnect') return 'account.needs_reconnect';
  return state === 'failing' ? 'account.failing' : 'account.recovered';
}

export function loopEventType(state: LoopAlertState): AlertEventType {
  return state === 'stale' ? 'loop.stale' : 'loop.recovered';
}

export function buildAlertEvent(
  input: Omit<AlertEvent, 'id' | 'occurred_at' | 'type'> & { type: AlertEventType },
  now: Date,
): AlertEvent {
  return { id: randomUUID(), occurred_at: now.toISOString(), ...input };
}

export const subjectKeyOf = (subject: AlertSubject) => `${subject.kind}:${subject.id}`;
