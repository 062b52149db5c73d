import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { dbNumber } from '../db/rows.ts';
import { createTestContext, type TestContext, useSim } from '../test/appContext.ts';
import { captureLogger } from '../test/captureLogger.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount, buildOrg } from '../test/factories.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhookReceiver.ts';
import { processNotification } from '../tokens/notifications/accountDeletion.ts';
import { refreshAccount } from '../tokens/refresh/refreshAccount.ts';
import { createTokenRefreshWorker } from '../workers/tokenRefreshWorker.ts';
import type { AlertDispatcher } from './alertDispatcher.ts';
import type { AlertEvent } from './alertEvents.ts';
import {
  alertDispatcherFor,
  alertsAfterEachCycle,
  createAlertDispatcher,
  detectAndSendAlerts,
} from './detectAndSendAlerts.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './webhookDelivery.ts';

const SECRET = 'alert-secret-0123456789';

describeEachDb('alert webhook', (getDb) => {
  const getSim = useSim();
  let receiver: WebhookReceiver;
  let ctx: TestContext;
  let dispatcher: AlertDispatcher;
  let orgId: string;
  const log = captureLogger();

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    ctx = createTestContext(getDb(), getSim(), {
      env: { ALERT_WEBHOOK_URL: receiver.url, ALERT_WEBHOOK_SECRET: SECRET },
    });
    ctx.logger = log.logger;
    dispatcher = createAlertDispatcher(ctx, { baseDelayMs: 20, maxDelayMs: 100 });
    orgId = (await buildOrg(ctx.db)).id;
  });
  afterAll(async () => {
    dispatcher.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.script([]);
  });

  const detect = async () => (await detectAndSendAlerts(ctx, { dispatcher })).events;
  const received = () =>
    receiver.requests.map((r) => JSON.parse(r.body) as AlertEvent & { delivery: { attempt: number } });

  it('sends one signed event per state change, and nothing while the state holds', async () => {
    const a = await buildAccount(ctx, getSim(), { orgId, houseName: 'Alpha' });
    const b = await buildAccount(ctx, getSim(), { orgId, houseName: 'Beta' });
    expect(await detect()).toEqual([]);

    getSim().control.failNext('5xx', 1);
    expect(await refreshAccount(ctx, a.accountId, { source: 'scheduled' })).toMatchObject({
      kind: 'attempted',
      result: { ok: false, code: 'ebay_unavailable' },
    });
    expect((await detect()).map((e) => e.type)).toEqual(['account.failing']);
    expect(await detect()).toEqual([]);
    getSim().control.failNext('5xx', 1);
    await refreshAccount(ctx, a.accountId, { source: 'scheduled' });
    expect(await detect()).toEqual([]); // still failing: no storm

    expect(await refreshAccount(ctx, a.accountId, { source: 'scheduled' })).toMatchObject({
      kind: 'attempted',
      result: { ok: true },
    });
    getSim().control.revokeUser(b.grant.user_id);
    await refreshAccount(ctx, b.accountId, { source: 'scheduled' });
    const changes = await detect();
    expect(changes.map((e) => [e.subject.id, e.type])).toEqual(
      [
        [a.accountId, 'account.recovered'],
        [b.accountId, 'account.needs_reconnect'],
      ].sort((x, y) => x[0]!.localeCompare(y[0]!)),
    );

    const stale = new Date(ctx.now().getTime() - 3_600_000).toISOString();
    await ctx.db.execute(
      sql`insert into background_workers (name, interval_seconds, last_started_at, last_finished_at, last_status)
          values ('token_refresh_worker', 60, ${stale}, ${stale}, 'ok')`,
    );
    expect((await detect()).map((e) => e.type)).toEqual(['loop.stale']);
    await ctx.db.execute(sql`update background_workers set last_finished_at = ${ctx.now().toISOString()}`);
    expect((await detect()).map((e) => e.type)).toEqual(['loop.recovered']);
    expect(await detect()).toEqual([]);

    await dispatcher.idle();
    const events = received();
    expect(events.map((e) => e.type).sort()).toEqual(
      [
        'account.failing',
        'account.recovered',
        'account.needs_reconnect',
        'loop.stale',
        'loop.recovered',
      ].sort(),
    );
    for (const request of receiver.requests) {
      expect(verifySignature(SECRET, request.body, request.headers[SIGNATURE_HEADER] as string)).toBe(true);
      expect(
        verifySignature('another-secret-000000', request.body, request.headers[SIGNATURE_HEADER] as string),
      ).toBe(false);
      expect(Number(request.headers[TIMESTAMP_HEADER])).toBeGreaterThan(Date.now() / 1000 - 60);
      expect(request.headers['content-type']).toBe('application/json');
    }
    const failing = events.find((e) => e.type === 'account.failing')!;
    expect(failing).toMatchObject({
      previous_state: 'ok',
      state: 'failing',
      subject: { kind: 'account', id: a.accountId, org_id: orgId, house_name: 'Alpha' },
      reason: { code: 'ebay_unavailable' },
      delivery: { attempt: 1 },
    });
    expect(events.find((e) => e.type === 'account.needs_reconnect')!.reason.code).toBe('invalid_grant');
    const text = receiver.requests.map((r) => r.body).join('\n');
    for (const secret of getSim().control.issuedSecrets()) expect(text).not.toContain(secret);

    const states = await queryRows(
      ctx.db,
      sql`select delivery_status from alert_states`,
      z.looseObject({ delivery_status: z.string() }),
    );
    expect(states.every((s) => s.delivery_status === 'delivered')).toBe(true);
    expect(log.messages().filter((m) => / delivered$/.test(m))).toHaveLength(5);
  });

  it("sends account.deleted once when eBay's account-deletion notification erased an account", async () => {
    const built = await buildAccount(ctx, getSim(), { orgId, houseName: 'Doomed' });
    expect(await detect()).toEqual([]);
    const outcome = await processNotification(
      ctx.db,
      {
        metadata: { topic: 'MARKETPLACE_ACCOUNT_DELETION' },
        notification: { notificationId: `alert-${built.accountId}`, data: { userId: built.grant.user_id } },
      },
      'production',
      ctx.now(),
    );
    expect(outcome.accounts).toHaveLength(1);
    const events = await detect();
    expect(events.map((e) => [e.subject.id, e.type, e.reason.code])).toEqual([
      [built.accountId, 'account.deleted', 'account_deleted'],
    ]);
    expect(events[0]?.subject).toMatchObject({ ebay_username: null });
    expect(await detect()).toEqual([]);
  });

  it('sends again, once and with the same id, an event whose sender stopped before delivering it', async () => {
    const a = await buildAccount(ctx, getSim(), { orgId, houseName: 'Orphan' });
    getSim().control.failNext('5xx', 1);
    await refreshAccount(ctx, a.accountId, { source: 'scheduled' });
    // The replica that saw the change dies with the event in its queue (a closed dispatcher drops it).
    const dying = createAlertDispatcher(ctx);
    dying.close();
    const [event] = (await detectAndSendAlerts(ctx, { dispatcher: dying })).events;
    expect(event?.type).toBe('account.failing');
    const ofAccount = (events: AlertEvent[]) => events.filter((e) => e.subject.id === a.accountId);
    expect(ofAccount(await detect())).toEqual([]); // its sender may still be retrying
    // Eleven minutes later (only this row ages, so the other subjects' states stay as they are).
    await ctx.db.execute(
      sql`update alert_states set changed_at = changed_at - interval '11 minutes' where subject_id = ${a.accountId}`,
    );
    expect(ofAccount(await detect()).map((e) => e.id)).toEqual([event!.id]);
    expect(ofAccount(await detect())).toEqual([]); // taken over once, not by every replica
    await dispatcher.idle();
    expect(ofAccount(received()).map((e) => [e.id, e.type])).toEqual([[event!.id, 'account.failing']]);
    const [row] = await queryRows(
      ctx.db,
      sql`select delivery_status from alert_states where subject_id = ${a.accountId}`,
      z.looseObject({ delivery_status: z.string() }),
    );
    expect(row?.delivery_status).toBe('delivered');
  });

  it('leaves an event to the live replica still trying to deliver it, however long that takes', async () => {
    const a = await buildAccount(ctx, getSim(), { orgId, houseName: 'Slow receiver' });
    getSim().control.failNext('5xx', 1);
    await refreshAccount(ctx, a.accountId, { source: 'scheduled' });
    receiver.script([503, 503, 503, 503]);
    const sender = createAlertDispatcher(ctx, { baseDelayMs: 300, maxDelayMs: 300, heartbeatMs: 50 });
    try {
      const [event] = (await detectAndSendAlerts(ctx, { dispatcher: sender })).events;
      sender.enqueue(event!); // a second enqueue of a held event is ignored
      expect(sender.pending).toBe(1);
      // As if it had waited in the queue for eleven minutes: the sender's heartbeat shows it alive.
      await ctx.db.execute(
        sql`update alert_states set changed_at = changed_at - interval '11 minutes' where subject_id = ${a.accountId}`,
      );
      await new Promise((r) => setTimeout(r, 200));
      const other = await detect(); // another replica
      expect(other.filter((e) => e.subject.id === a.accountId)).toEqual([]);
      await sender.idle();
      expect(
        received()
          .filter((e) => e.subject.id === a.accountId)
          .map((e) => e.delivery.attempt),
      ).toEqual([1, 2, 3, 4, 5]);
    } finally {
      sender.close();
    }
  });

  it('sends a change seen by two replicas at once only once', async () => {
    const { accountId } = await buildAccount(ctx, getSim(), { orgId });
    const replica = createTestContext(getDb(), getSim(), {
      env: { ALERT_WEBHOOK_URL: receiver.url, ALERT_WEBHOOK_SECRET: SECRET },
    });
    const other = createAlertDispatcher(replica, { baseDelayMs: 20 });
    getSim().control.failNext('5xx', 1);
    await refreshAccount(ctx, accountId, { source: 'scheduled' });
    const [one, two] = await Promise.all([detect(), detectAndSendAlerts(replica, { dispatcher: other })]);
    expect(one.length + two.events.length).toBe(1);
    await Promise.all([dispatcher.idle(), other.idle()]);
    expect(received().map((e) => e.subject.id)).toEqual([accountId]);
  });

  it('retries a failing receiver with backoff without blocking the caller', async () => {
    const { accountId } = await buildAccount(ctx, getSim(), { orgId });
    receiver.script([500, 503], 300);
    getSim().control.failNext('5xx', 1);
    await refreshAccount(ctx, accountId, { source: 'scheduled' });
    const events = await detect();
    expect(events).toHaveLength(1);
    // Still being delivered (the receiver takes 300 ms per answer): the caller did not wait.
    expect(dispatcher.pending).toBe(1);

    await dispatcher.idle();
    const attempts = received();
    expect(attempts.map((e) => e.delivery.attempt)).toEqual([1, 2, 3]);
    expect(new Set(attempts.map((e) => e.id)).size).toBe(1);
    for (const r of receiver.requests)
      expect(verifySignature(SECRET, r.body, r.headers[SIGNATURE_HEADER] as string)).toBe(true);
    const [state] = await queryRows(
      ctx.db,
      sql`select delivery_status, delivery_attempts from alert_states where subject_id = ${accountId}`,
      z.looseObject({ delivery_status: z.string(), delivery_attempts: dbNumber }),
    );
    expect(state).toEqual({ delivery_status: 'delivered', delivery_attempts: 3 });
    expect(
      log.messages().filter((m) => m === 'Alert account.failing delivery failed; retrying').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('is called by the worker cycle (the hook the role entries pass), which does not wait for a slow, failing receiver', async () => {
    const worker = createTestContext(getDb(), getSim(), {
      env: { ALERT_WEBHOOK_URL: receiver.url, ALERT_WEBHOOK_SECRET: SECRET },
    });
    worker.logger = log.logger;
    const { accountId } = await buildAccount(ctx, getSim(), { orgId, accessExpiresInSeconds: 60 });
    getSim().control.failNext('invalid_grant', 1);
    receiver.script([503], 1_000); // the first answer takes a second, and is an error
    await createTokenRefreshWorker({ onCycleRecorded: alertsAfterEachCycle(worker) }).runCycle(worker);
    const dispatcher = alertDispatcherFor(worker)!;
    // The cycle is over; the delivery (1 s answer, then a ~1 s backoff, then a retry) is not.
    expect(dispatcher.pending).toBe(1);
    await dispatcher.idle();
    dispatcher.close();
    const mine = received().filter((e) => e.subject.id === accountId);
    expect(mine.map((e) => [e.type, e.delivery.attempt])).toEqual([
      ['account.needs_reconnect', 1],
      ['account.needs_reconnect', 2],
    ]);
  });

  it('gives up at once on a receiver that refuses the event (4xx), and records it', async () => {
    const { accountId } = await buildAccount(ctx, getSim(), { orgId });
    receiver.script([410]);
    getSim().control.failNext('5xx', 1);
    await refreshAccount(ctx, accountId, { source: 'scheduled' });
    await detect();
    await dispatcher.idle();
    expect(receiver.requests).toHaveLength(1);
    const [state] = await queryRows(
      ctx.db,
      sql`select delivery_status, last_delivery_error from alert_states where subject_id = ${accountId}`,
      z.looseObject({ delivery_status: z.string(), last_delivery_error: z.string() }),
    );
    expect(state).toEqual({ delivery_status: 'failed', last_delivery_error: 'HTTP 410' });
  });

  it('does not follow a redirect: a 307 to another address is a failed delivery, logged with its Location', async () => {
    const other = await startWebhookReceiver();
    try {
      const { accountId } = await buildAccount(ctx, getSim(), { orgId });
      receiver.script([{ status: 307, headers: { location: `${other.url}?token=stolen` } }]);
      getSim().control.failNext('5xx', 1);
      await refreshAccount(ctx, accountId, { source: 'scheduled' });
      await detect();
      await dispatcher.idle();
      expect(receiver.requests).toHaveLength(1);
      expect(other.requests).toHaveLength(0);
      const expected = `HTTP 307 redirect to ${other.url}?… (redirects are not followed)`;
      const [state] = await queryRows(
        ctx.db,
        sql`select delivery_status, last_delivery_error from alert_states where subject_id = ${accountId}`,
        z.looseObject({ delivery_status: z.string(), last_delivery_error: z.string() }),
      );
      expect(state).toEqual({ delivery_status: 'failed', last_delivery_error: expected });
      expect(log.messages()).toContain(`Alert account.failing not delivered after 1 attempts: ${expected}`);
      expect(JSON.stringify(log.lines())).not.toContain('stolen');
    } finally {
      await other.close();
    }
  });
  it('sends quota.warning once past 80 % of the daily refresh limit, and quota.recovered below it', async () => {
    const plan = (used: number) => ({
      default_policy: 'auto',
      warm: 10,
      on_demand: 0,
      limit: 50_000,
      budget: 40_000,
      reserve_percent: 20,
      calls_per_warm_account: 13.4,
      used_24h: { refresh_token: used, authorization_code: 0, client_credentials: 0 },
      projected_24h: used,
      warning: used > 40_000,
      budget_reached: used >= 40_000,
      paused_until: null,
    });
    const lastCycle = (used: number) =>
      ctx.db.execute(sql`insert into background_workers (name, interval_seconds, last_finished_at, last_summary)
          values ('token_refresh_worker', 600, ${ctx.now().toISOString()}, ${JSON.stringify({ plan: plan(used) })}::jsonb)
          on conflict (name) do update set last_summary = excluded.last_summary, last_finished_at = excluded.last_finished_at`);
    await lastCycle(12_000);
    expect((await detect()).filter((e) => e.subject.kind === 'quota')).toEqual([]);

    await lastCycle(41_000);
    const [warning, ...more] = (await detect()).filter((e) => e.subject.kind === 'quota');
    expect(more).toEqual([]);
    expect(warning).toMatchObject({
      type: 'quota.warning',
      previous_state: 'ok',
      state: 'warning',
      subject: { kind: 'quota', id: 'refresh_token', limit: 50_000, used_24h: 41_000, projected_24h: 41_000 },
      reason: {
        code: 'quota_budget_reached',
        message:
          'refresh-token calls: 41000 in the last 24 h, 41000 projected for the next 24 h, of 50000 a day; warm refreshes stopped, the reserve is kept for on-demand refreshes',
      },
    });
    await lastCycle(42_000);
    expect((await detect()).filter((e) => e.subject.kind === 'quota')).toEqual([]); // still past: no storm

    await lastCycle(30_000);
    expect((await detect()).filter((e) => e.subject.kind === 'quota').map((e) => e.type)).toEqual([
      'quota.recovered',
    ]);
    await dispatcher.idle();
    expect(
      received()
        .filter((e) => e.subject.kind === 'quota')
        .map((e) => e.type),
    ).toEqual(['quota.warning', 'quota.recovered']);
  });
});
