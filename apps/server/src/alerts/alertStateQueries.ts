import type { Environment } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';
import { toDate } from '../tokens/refresh/refreshRecord.ts';
import type { AccountAlertState, AlertEvent } from './alertEvents.ts';

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

/** Accounts whose current alert state differs from the one last alerted, oldest id first. */
export async function findAccountStateChanges(db: Db, limit: number): Promise<AccountStateChange[]> {
  const rows = await queryRows<{
    account_id: string;
    org_id: string;
    house_name: string;
    environment: Environment;
    ebay_username: string | null;
    state: AccountAlertState;
    previous: string | null;
    status_reason: string | null;
    last_error_code: string | null;
    last_error_message: string | null;
  }>(
    db,
    sql`select * from (
          select a.id as account_id, a.org_id, a.house_name, a.environment, a.ebay_username, a.status_reason,
            t.last_error_code, t.last_error_message, s.state as previous,
            case when a.status = 'needs_reconnect' then 'needs_reconnect'
                 when t.last_refresh_success = false and t.consecutive_failures > 0 then 'failing'
                 else 'ok' end as state
          from ebay_accounts a join ebay_tokens t on t.account_id = a.id
          left join alert_states s on s.subject_kind = 'account' and s.subject_id = a.id::text
          where a.status <> 'disabled') current_states
        where state <> coalesce(previous, 'ok')
        order by account_id
        limit ${limit}`,
  );
  return rows.map((r) => ({
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
  }));
}

export interface LoopHeartbeat {
  name: string;
  intervalSeconds: number;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  previous: string | null;
}

export async function listLoopHeartbeats(db: Db): Promise<LoopHeartbeat[]> {
  const rows = await queryRows<{
    name: string;
    interval_seconds: number;
    last_started_at: string | Date | null;
    last_finished_at: string | Date | null;
    previous: string | null;
  }>(
    db,
    sql`select w.name, w.interval_seconds, w.last_started_at, w.last_finished_at, s.state as previous
        from background_workers w
        left join alert_states s on s.subject_kind = 'loop' and s.subject_id = w.name
        order by w.name`,
  );
  return rows.map((r) => ({
    name: r.name,
    intervalSeconds: r.interval_seconds,
    lastStartedAt: toDate(r.last_started_at),
    lastFinishedAt: toDate(r.last_finished_at),
    previous: r.previous,
  }));
}

/**
 * Records a state change, with the event that announces it, if the stored state is still
 * `previous` (absent counts as `ok`). True for exactly one of several replicas seeing the same
 * change: only it sends the event.
 */
export async function claimStateChange(
  db: Db,
  change: { kind: 'account' | 'loop'; subjectId: string; previous: string | null; event: AlertEvent },
): Promise<boolean> {
  const { event } = change;
  const rows = await queryRows<{ subject_id: string }>(
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
  const rows = await queryRows<{ last_event: AlertEvent | string }>(
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
  );
  return rows.map((r) => (typeof r.last_event === 'string' ? JSON.parse(r.last_event) : r.last_event));
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
    kind: 'account' | 'loop';
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
