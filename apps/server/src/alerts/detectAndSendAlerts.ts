import type { AppContext } from '../context.ts';
import { maskFreeText } from '../logs/mask.ts';
import { AlertDispatcher, type AlertDispatcherOptions } from './alertDispatcher.ts';
import {
  type AlertEvent,
  accountEventType,
  buildAlertEvent,
  type LoopAlertState,
  loopEventType,
  type QuotaAlertState,
  quotaEventType,
} from './alertEvents.ts';
import {
  claimOrphanedEvents,
  claimStateChange,
  findAccountStateChanges,
  listLoopHeartbeats,
  readLastRefreshPlan,
  recordDelivery,
  touchHeldEvents,
} from './alertStateQueries.ts';

/**
 * Alerts (issue 6): with ALERT_WEBHOOK_URL set, a signed JSON event goes to the webhook when
 * an account starts failing, recovers or needs reconnecting, and when a background loop goes
 * stale or comes back. Once per state change, across any number of replicas (the last alerted
 * state is kept in `alert_states`, changed by compare-and-set, with the event itself). The
 * worker calls this after each cycle (alertsAfterEachCycle); delivery happens in the background and never blocks the
 * caller. An event whose sender stopped before delivering it is sent again, with the same id, by
 * whichever replica sees it first: delivery is at least once. Never throws.
 */

export const ALERT_TIMEOUT_MS = 5_000;
/** State changes handled per call; the rest are picked up by the next call. */
const MAX_CHANGES_PER_RUN = 1_000;
/**
 * A `pending` event untouched this long lost its sender: a live sender touches the rows of the
 * events it holds every minute (queued or retrying), so this is far past any live sender.
 */
export const ORPHANED_AFTER_MS = 10 * 60_000;

export type AlertContext = Pick<AppContext, 'db' | 'env' | 'logger' | 'now'>;

export interface AlertRun {
  events: AlertEvent[];
  error?: string;
}

const dispatchers = new WeakMap<AlertContext, AlertDispatcher>();

export function createAlertDispatcher(
  ctx: AlertContext,
  overrides: Partial<AlertDispatcherOptions> = {},
): AlertDispatcher {
  const url = overrides.url ?? ctx.env.ALERT_WEBHOOK_URL;
  if (!url) throw new Error('ALERT_WEBHOOK_URL is not set');
  return new AlertDispatcher({
    url,
    secret: ctx.env.ALERT_WEBHOOK_SECRET,
    timeoutMs: ALERT_TIMEOUT_MS,
    logger: ctx.logger,
    now: ctx.now,
    onHeartbeat: (eventIds) => touchHeldEvents(ctx.db, eventIds, ctx.now()),
    onSettled: (event, outcome) =>
      recordDelivery(ctx.db, {
        kind: event.subject.kind,
        subjectId: event.subject.id,
        eventId: event.id,
        status: outcome.delivered ? 'delivered' : 'failed',
        attempts: outcome.attempts,
        error: outcome.error,
        at: ctx.now(),
      }),
    ...overrides,
  });
}

/** The process-wide dispatcher of this context, or null when no webhook is configured. */
export function alertDispatcherFor(ctx: AlertContext): AlertDispatcher | null {
  if (!ctx.env.ALERT_WEBHOOK_URL) return null;
  let dispatcher = dispatchers.get(ctx);
  if (!dispatcher) {
    dispatcher = createAlertDispatcher(ctx);
    dispatchers.set(ctx, dispatcher);
  }
  return dispatcher;
}

export async function detectAndSendAlerts(
  ctx: AlertContext,
  opts: { dispatcher?: AlertDispatcher } = {},
): Promise<AlertRun> {
  const dispatcher = opts.dispatcher ?? alertDispatcherFor(ctx);
  if (!dispatcher) return { events: [] };
  const events: AlertEvent[] = [];
  const send = (event: AlertEvent) => {
    events.push(event);
    dispatcher.enqueue(event);
  };
  try {
    await detectAccountChanges(ctx, send);
    await detectLoopChanges(ctx, send);
    await detectQuotaChange(ctx, send);
    const now = ctx.now();
    const staleBefore = new Date(now.getTime() - ORPHANED_AFTER_MS);
    for (const event of await claimOrphanedEvents(ctx.db, {
      staleBefore,
      at: now,
      limit: MAX_CHANGES_PER_RUN,
    })) {
      ctx.logger.warn(
        { event_id: event.id, type: event.type },
        `Alert ${event.type} sent again: its sender stopped`,
      );
      send(event);
    }
    return { events };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.error({ err, component: 'alerts' }, `Alert detection failed: ${message}`);
    return { events, error: message };
  }
}

/**
 * The worker's `onCycleRecorded` hook, as the role entries wire it: detection right after each
 * cycle, delivery in the background (the cycle does not wait for the receiver).
 */
export function alertsAfterEachCycle(ctx: AlertContext): () => Promise<AlertRun> {
  return () => detectAndSendAlerts(ctx);
}

async function detectAccountChanges(ctx: AlertContext, send: (e: AlertEvent) => void): Promise<void> {
  for (const change of await findAccountStateChanges(ctx.db, MAX_CHANGES_PER_RUN)) {
    const now = ctx.now();
    const failing = change.state !== 'ok';
    const message =
      change.state === 'needs_reconnect' || change.state === 'deleted'
        ? change.statusReason
        : change.lastErrorMessage;
    const event = buildAlertEvent(
      {
        type: accountEventType(change.state),
        previous_state: change.previous ?? 'ok',
        state: change.state,
        subject: {
          kind: 'account',
          id: change.accountId,
          org_id: change.orgId,
          house_name: change.houseName,
          environment: change.environment,
          ebay_username: change.ebayUsername,
        },
        reason: {
          code: change.state === 'deleted' ? 'account_deleted' : failing ? change.lastErrorCode : null,
          message: failing && message ? maskFreeText(message) : null,
        },
      },
      now,
    );
    if (await claim(ctx, 'account', change.accountId, change.previous, event)) send(event);
  }
}

async function detectLoopChanges(ctx: AlertContext, send: (e: AlertEvent) => void): Promise<void> {
  const now = ctx.now();
  for (const loop of await listLoopHeartbeats(ctx.db)) {
    // The stale rule of the loop-status endpoint: no finish (or start) within 3 intervals.
    const reference = loop.lastFinishedAt ?? loop.lastStartedAt;
    const state: LoopAlertState =
      !reference || now.getTime() - reference.getTime() > 3 * loop.intervalSeconds * 1000 ? 'stale' : 'ok';
    if (state === (loop.previous ?? 'ok')) continue;
    const event = buildAlertEvent(
      {
        type: loopEventType(state),
        previous_state: loop.previous ?? 'ok',
        state,
        subject: {
          kind: 'loop',
          id: loop.name,
          interval_seconds: loop.intervalSeconds,
          last_finished_at: loop.lastFinishedAt?.toISOString() ?? null,
        },
        reason:
          state === 'stale'
            ? {
                code: 'loop_stale',
                message: `no cycle of ${loop.name} finished since ${reference?.toISOString() ?? 'ever'} (interval ${loop.intervalSeconds} s)`,
              }
            : { code: null, message: null },
      },
      now,
    );
    if (await claim(ctx, 'loop', loop.name, loop.previous, event)) send(event);
  }
}

/** Past 80 % of the keyset's daily refresh-token limit (used or projected), and back under it. */
async function detectQuotaChange(ctx: AlertContext, send: (e: AlertEvent) => void): Promise<void> {
  const last = await readLastRefreshPlan(ctx.db);
  if (!last?.plan) return;
  const { plan } = last;
  const state: QuotaAlertState = plan.warning ? 'warning' : 'ok';
  if (state === (last.previous ?? 'ok')) return;
  const used = plan.used_24h.refresh_token;
  const event = buildAlertEvent(
    {
      type: quotaEventType(state),
      previous_state: last.previous ?? 'ok',
      state,
      subject: {
        kind: 'quota',
        id: 'refresh_token',
        limit: plan.limit,
        used_24h: used,
        projected_24h: plan.projected_24h,
      },
      reason:
        state === 'warning'
          ? {
              code: plan.budget_reached ? 'quota_budget_reached' : 'quota_warning',
              message: `refresh-token calls: ${used} in the last 24 h, ${plan.projected_24h} projected for the next 24 h, of ${plan.limit} a day${plan.budget_reached ? '; warm refreshes stopped, the reserve is kept for on-demand refreshes' : ''}`,
            }
          : { code: null, message: null },
    },
    ctx.now(),
  );
  if (await claim(ctx, 'quota', 'refresh_token', last.previous, event)) send(event);
}

function claim(
  ctx: AlertContext,
  kind: 'account' | 'loop' | 'quota',
  subjectId: string,
  previous: string | null,
  event: AlertEvent,
): Promise<boolean> {
  return claimStateChange(ctx.db, { kind, subjectId, previous, event });
}
