import {
  type Environment,
  environmentSchema,
  type RefreshPlanStatus,
  refreshPlanSchema,
} from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../db/client.ts';
import { dbDateOrNull, dbInt, dbJson } from '../db/rows.ts';
import { ebayAccounts as a, ebayTokens as t } from '../db/schema.ts';
import { isFailing } from '../tokens/sql/tokenState.ts';
import { type AccountAlertState, type AlertEvent, alertEventSchema } from './alertEvents.ts';

/** The SQL of the alerts: one query per function. */

export interface AccountStateChange {
  accountId: string;
  orgId: string;
  houseName: string;
  environment: Environment;
  ebayUsername: string | null;
  state: AccountAlertState;
  /** The last alerted state; null when never alerted (counts as `ok`). */
  previous: string | null;
  statusReason: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
}

const accountStateChangeRow = z
  .object({
    account_id: z.string(),
    org_id: z.string(),
    house_name: z.string(),
    environment: environmentSchema,
    ebay_username: z.string().nullable(),
    state: z.enum(['ok', 'failing', 'needs_reconnect', 'deleted']),
    previous: z.string().nullable(),
    status_reason: z.string().nullable(),
    last_error_code: z.string().nullable(),
    last_error_message: z.string().nullable(),
  })
  .transform(
    (r): AccountStateChange => ({
      accountId: r.account_id,
      orgId: r.org_id,
      houseName: r.house_name,
      environment: r.environment,
      ebayUsername: r.ebay_username,
      state: r.state,
      previous: r.previous,
      statusReason: r.status_reason,
      lastErrorCode: r.last_error_code,
      lastErrorMessage: r.last_error_message,
    }),
  );

/** Accounts whose current alert state differs from the one last alerted, oldest id first. */
export function findAccountStateChanges(db: Db, limit: number): Promise<AccountStateChange[]> {
  return queryRows(
    db,
    sql`select * from (
          select ${a.id} as account_id, ${a.orgId}, ${a.houseName}, ${a.environment}, ${a.ebayUsername},
            ${a.statusReason}, ${t.lastErrorCode}, ${t.lastErrorMessage}, s.state as previous,
            case when ${a.status} = 'deleted' then 'deleted'
                 when ${a.status} = 'needs_reconnect' then 'needs_reconnect'
                 when ${isFailing} then 'failing'
                 else 'ok' end as state
          from ebay_accounts left join ebay_tokens on ${t.accountId} = ${a.id}
          left join alert_states s on s.subject_kind = 'account' and s.subject_id = ${a.id}::text
          -- A deleted account has no token row left (eBay's account-deletion notification).
          where ${a.status} <> 'disabled' and (${t.accountId} is not null or ${a.status} = 'deleted')) current_states
        where state <> coalesce(previous, 'ok')
        order by account_id
        limit ${limit}`,
    accountStateChangeRow,
  );
}

export interface LoopHeartbeat {
  name: string;
  intervalSeconds: number;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  previous: string | null;
}

const loopHeartbeatRow = z
  .object({
    name: z.string(),
    interval_seconds: dbInt,
    last_started_at: dbDateOrNull,
    last_finished_at: dbDateOrNull,
    previous: z.string().nullable(),
  })
  .transform(
    (r): LoopHeartbeat => ({
      name: r.name,
      intervalSeconds: r.interval_seconds,
      lastStartedAt: r.last_started_at,
      lastFinishedAt: r.last_finished_at,
      previous: r.previous,
    }),
  );

const quotaRow = z.object({ plan: z.unknown(), previous: z.string().nullable() });

/**
 * The refresh plan of the token refresh worker's last cycle (its quota figures are the keyset's),
 * with the last alerted quota state; null before any cycle.
 */
export async function readLastRefreshPlan(
  db: Db,
): Promise<{ plan: RefreshPlanStatus | null; previous: string | null } | null> {
  const [row] = await queryRows(
    db,
    sql`select w.last_summary -> 'plan' as plan, s.state as previous
        from background_workers w
        left join alert_states s on s.subject_kind = 'quota' and s.subject_id = 'refresh_token'
        where w.name = 'token_refresh_worker'`,
    quotaRow,
  );
  if (!row) return null;
  // A summary written before the plan existed (or by another version) has no plan to judge.
  const plan = refreshPlanSchema.safeParse(typeof row.plan === 'string' ? JSON.parse(row.plan) : row.plan);
  return { plan: plan.success ? plan.data : null, previous: row.previous };
}

export function listLoopHeartbeats(db: Db): Promise<LoopHeartbeat[]> {
  return queryRows(
    db,
    sql`select w.name, w.interval_seconds, w.last_started_at, w.last_finished_at, s.state as previous
        from background_workers w
        left join alert_states s on s.subject_kind = 'loop' and s.subject_id = w.name
        order by w.name`,
    loopHeartbeatRow,
  );
}

/**
 * Records a state change, with the event that announces it, if the stored state is still
 * `previous` (absent counts as `ok`). True for exactly one of several replicas seeing the same
 * change: only it sends the event.
 */
export async function claimStateChange(
  db: Db,
  change: {
    kind: 'account' | 'loop' | 'quota';
    subjectId: string;
    previous: string | null;
    event: AlertEvent;
  },
): Promise<boolean> {
  const { event } = change;
  const rows = await queryRows(
    db,
    sql`insert into alert_states (subject_kind, subject_id, state, changed_at, last_event_id, last_event_type,
          last_event, delivery_status, delivery_attempts)
        values (${change.kind}, ${change.subjectId}, ${event.state}, ${event.occurred_at}, ${event.id},
          ${event.type}, ${JSON.stringify(event)}::jsonb, 'pending', 0)
        on conflict (subject_kind, subject_id) do update
          set state = excluded.state, changed_at = excluded.changed_at, last_event_id = excluded.last_event_id,
              last_event_type = excluded.last_event_type, last_event = excluded.last_event,
              delivery_status = 'pending', delivery_attempts = 0, last_delivery_at = null, last_delivery_error = null
          where alert_states.state = ${change.previous ?? 'ok'}
        returning subject_id`,
    z.object({ subject_id: z.string() }),
  );
  return rows.length === 1;
}

/**
 * Events still `pending` although nothing touched them since `staleBefore`: the process that
 * was sending them stopped. Takes them over (so another replica does not) and returns them.
 */
export async function claimOrphanedEvents(
  db: Db,
  q: { staleBefore: Date; at: Date; limit: number },
): Promise<AlertEvent[]> {
  const rows = await queryRows(
    db,
    sql`update alert_states s
        set last_delivery_at = ${q.at.toISOString()},
            last_delivery_error = 'sent again: the process that was sending it stopped'
        from (select subject_kind, subject_id from alert_states
              where delivery_status = 'pending' and last_event is not null
                and coalesce(last_delivery_at, changed_at) < ${q.staleBefore.toISOString()}::timestamptz
              order by changed_at
              limit ${q.limit}
              for update skip locked) orphaned
        where s.subject_kind = orphaned.subject_kind and s.subject_id = orphaned.subject_id
        returning s.last_event`,
    z.object({ last_event: dbJson(alertEventSchema) }),
  );
  return rows.map((r) => r.last_event);
}

/** Events still held by a live sender: their rows are touched so no replica takes them over. */
export async function touchHeldEvents(db: Db, eventIds: readonly string[], at: Date): Promise<void> {
  if (eventIds.length === 0) return;
  await db.execute(
    sql`update alert_states set last_delivery_at = ${at.toISOString()}
        where delivery_status = 'pending' and last_event_id = any(${`{${eventIds.join(',')}}`}::text[])`,
  );
}

/** The outcome of delivering an event, on its subject's row (unless a newer event replaced it). */
export async function recordDelivery(
  db: Db,
  delivery: {
    kind: 'account' | 'loop' | 'quota';
    subjectId: string;
    eventId: string;
    status: 'delivered' | 'failed';
    attempts: number;
    error: string | null;
    at: Date;
  },
): Promise<void> {
  await db.execute(
    sql`update alert_states set delivery_status = ${delivery.status}, delivery_attempts = ${delivery.attempts},
          last_delivery_at = ${delivery.at.toISOString()}, last_delivery_error = ${delivery.error}
        where subject_kind = ${delivery.kind} and subject_id = ${delivery.subjectId}
          and last_event_id = ${delivery.eventId}`,
  );
}
