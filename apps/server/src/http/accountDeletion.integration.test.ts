import { createHash } from 'node:crypto';
import { type EbaySim, startEbaySim } from '@ebay-connector/ebay-sim';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { anyRow } from '../db/rows.ts';
import { createTestContext, type TestContext } from '../test/appContext.ts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount, buildOrg } from '../test/factories.ts';
import { PUBLIC_URL, signedInClient } from '../test/harness.ts';
import { isDue } from '../tokens/sql/dueRule.ts';
import { buildHttpApp } from './app.ts';

/**
 * Issue 13 over real HTTP: the simulator plays eBay and sends signed Marketplace Account Deletion
 * notifications to the listening app, which verifies them with the sim's Notification API key.
 */
const PATH = '/api/ebay/notifications/marketplace-account-deletion';
const TOKEN = 'verify_token_0123456789abcdefghijklmnopqrstuvwxyz';

describeEachDb('Marketplace Account Deletion notifications', (getDb) => {
  let sim: EbaySim;
  let ctx: TestContext;
  let app: FastifyInstance;
  let endpoint: string;
  beforeAll(async () => {
    sim = await startEbaySim();
    // The endpoint URL is part of the challenge; the listening port is only known after listen.
    const probe = createTestContext(getDb(), sim);
    app = await buildHttpApp(probe, { publicUrl: PUBLIC_URL });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    endpoint = `http://127.0.0.1:${port}${PATH}`;
    ctx = createTestContext(getDb(), sim, {
      env: { EBAY_NOTIFICATION_VERIFICATION_TOKEN: TOKEN, EBAY_NOTIFICATION_ENDPOINT_URL: endpoint },
    });
    Object.assign(probe, { env: ctx.env });
    ctx = probe;
  });
  afterAll(async () => {
    await app.close();
    await sim.close();
  });

  it('answers the challenge with hex(sha256(code + token + endpoint))', async () => {
    const res = await fetch(`${endpoint}?challenge_code=abc123`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const expected = createHash('sha256').update(`abc123${TOKEN}${endpoint}`).digest('hex');
    expect(await res.json()).toEqual({ challengeResponse: expected });
    expect((await fetch(endpoint)).status).toBe(400);
  });

  it('erases every account of that seller in every org, once, and the worker skips them', async () => {
    const orgA = (await buildOrg(ctx.db)).id;
    const orgB = (await buildOrg(ctx.db)).id;
    const a = await buildAccount(ctx, sim, { orgId: orgA, username: 'doomed_seller' });
    const b = await buildAccount(ctx, sim, { orgId: orgB, username: 'doomed_seller' });
    const bystander = await buildAccount(ctx, sim, { orgId: orgA, username: 'other_seller' });
    expect(a.grant.user_id).toBe(b.grant.user_id);
    const sent = await sim.control.sendAccountDeletion({
      url: endpoint,
      userId: a.grant.user_id,
      username: 'doomed_seller',
    });
    expect(sent.status).toBe(204);

    const accounts = await queryRows(
      ctx.db,
      sql`select id, status, status_reason, ebay_username, ebay_user_id from ebay_accounts
          where id in (${a.accountId}, ${b.accountId}, ${bystander.accountId})`,
      anyRow,
    );
    const byId = new Map(accounts.map((r) => [r.id, r]));
    for (const id of [a.accountId, b.accountId]) {
      expect(byId.get(id)).toMatchObject({
        status: 'deleted',
        status_reason: "Deleted at eBay's request",
        ebay_username: null,
      });
      expect(byId.get(id)?.ebay_user_id).not.toBe(a.grant.user_id);
    }
    expect(byId.get(bystander.accountId)).toMatchObject({ status: 'active' });
    const tokens = await queryRows(
      ctx.db,
      sql`select account_id from ebay_tokens where account_id in (${a.accountId}, ${b.accountId})`,
      anyRow,
    );
    expect(tokens).toEqual([]);
    const due = await queryRows(
      ctx.db,
      sql`select ebay_accounts.id from ebay_accounts left join ebay_tokens on ebay_tokens.account_id = ebay_accounts.id
          where ebay_accounts.id in (${a.accountId}, ${b.accountId}) and ${isDue({ now: new Date(Date.now() + 1e10), thresholdSeconds: 0 })}`,
      anyRow,
    );
    expect(due).toEqual([]);
    const logs = await queryRows(
      ctx.db,
      sql`select account_id, source, org_id from ebay_connect_logs where action = 'account_deleted' order by org_id`,
      anyRow,
    );
    expect(logs.map((l) => l.account_id).sort()).toEqual([a.accountId, b.accountId].sort());
    expect(logs.every((l) => l.source === 'notification')).toBe(true);
    const everything = JSON.stringify(
      await queryRows(
        ctx.db,
        sql`select * from ebay_connect_logs where account_id in (${a.accountId}, ${b.accountId})`,
        anyRow,
      ),
    );
    expect(everything).not.toContain('doomed_seller');
    expect(everything).not.toContain(a.grant.user_id);

    const audit = await queryRows(
      ctx.db,
      sql`select * from ebay_notifications where notification_id = ${sent.notificationId}`,
      anyRow,
    );
    expect(audit).toEqual([
      expect.objectContaining({
        outcome: 'accounts_deleted',
        accounts_affected: 2,
        user_id_sha256: createHash('sha256').update(a.grant.user_id).digest('hex'),
      }),
    ]);
    expect(JSON.stringify(audit)).not.toContain(a.grant.user_id);

    // Redelivery: 204, nothing changes, no second audit row or log entry.
    const again = await sim.control.sendAccountDeletion({
      url: endpoint,
      userId: a.grant.user_id,
      notificationId: sent.notificationId,
    });
    expect(again.status).toBe(204);
    const count = z.object({ n: z.coerce.number() });
    const [entries] = await queryRows(
      ctx.db,
      sql`select count(*) as n from ebay_connect_logs where action = 'account_deleted'`,
      count,
    );
    expect(entries?.n).toBe(2);

    // What the operator sees: the entry in the token worker terminal, the Notifications line.
    const admin = await signedInClient({ ctx, sim, app }, { orgId: orgA });
    const terminal = await admin.get('/api/admin/ebay/tokens/terminal-logs');
    expect(terminal.statusCode).toBe(200);
    const entries0 = JSON.parse(terminal.body).entries as Array<{
      action: string;
      ebay_account_id: string | null;
    }>;
    expect(entries0.filter((e) => e.action === 'account_deleted').map((e) => e.ebay_account_id)).toEqual([
      a.accountId,
    ]);
    const status = JSON.parse((await admin.get('/api/admin/ebay/notifications/status')).body);
    expect(status).toMatchObject({ configured: true, endpoint_url: endpoint });
    expect(status.last_received_at).not.toBeNull();

    // The same seller connecting again gets a fresh account; the deleted rows keep their history.
    const fresh = await buildAccount(ctx, sim, { orgId: orgA, username: 'doomed_seller' });
    expect(fresh.accountId).not.toBe(a.accountId);
  });

  it('acknowledges and records a notification for an unknown user', async () => {
    const sent = await sim.control.sendAccountDeletion({ url: endpoint, userId: 'nobodyhere' });
    expect(sent.status).toBe(204);
    const [row] = await queryRows(
      ctx.db,
      sql`select outcome, accounts_affected from ebay_notifications where notification_id = ${sent.notificationId}`,
      anyRow,
    );
    expect(row).toEqual({ outcome: 'unknown_user', accounts_affected: 0 });
  });

  it('refuses a tampered body (412), an unknown kid (412) and a malformed header (400), changing nothing', async () => {
    const victim = await buildAccount(ctx, sim, { orgId: (await buildOrg(ctx.db)).id });
    const tampered = await sim.control.sendAccountDeletion({
      url: endpoint,
      userId: victim.grant.user_id,
      tamper: true,
    });
    expect(tampered.status).toBe(412);
    const unknownKid = await sim.control.sendAccountDeletion({
      url: endpoint,
      userId: victim.grant.user_id,
      kid: 'not-a-key',
    });
    expect(unknownKid.status).toBe(412);
    const malformed = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ebay-signature': 'garbage!' },
      body: '{}',
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('malformed_signature');
    const [row] = await queryRows(
      ctx.db,
      sql`select status from ebay_accounts where id = ${victim.accountId}`,
      anyRow,
    );
    expect(row?.status).toBe('active');
    const status = await app.inject({ method: 'GET', url: '/api/admin/ebay/notifications/status' });
    expect(status.statusCode).toBe(401); // signed-in only
  });

  it('answers 503 while eBay cannot give the key, so eBay retries; the retry succeeds', async () => {
    const victim = await buildAccount(ctx, sim, { orgId: (await buildOrg(ctx.db)).id });
    // A kid the key cache has not seen, while eBay's Notification API answers 503.
    sim.control.failPublicKeyCalls(1);
    const first = await sim.control.sendAccountDeletion({
      url: endpoint,
      userId: victim.grant.user_id,
      kid: 'fresh-kid-1',
    });
    expect(first.status).toBe(503);
    const retry = await sim.control.sendAccountDeletion({ url: endpoint, userId: victim.grant.user_id });
    expect(retry.status).toBe(204);
    const [row] = await queryRows(
      ctx.db,
      sql`select status from ebay_accounts where id = ${victim.accountId}`,
      anyRow,
    );
    expect(row?.status).toBe('deleted');
  });
  // Last: it leaves this address over its limit for the rest of the minute.
  it('refuses forged notifications per address: past 60 a minute a 429, with no eBay call and no row', async () => {
    const keyCalls = sim.control.counters().publicKeyCalls;
    const rows = async () =>
      Number(
        (await queryRows(ctx.db, sql`select count(*)::int as n from ebay_notification_failures`, anyRow))[0]
          ?.n,
      );
    const rowsBefore = await rows();
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      const sent = await sim.control.sendAccountDeletion({
        url: endpoint,
        userId: 'x',
        kid: `forged-${i % 5}`,
      });
      statuses.push(sent.status);
    }
    const firstLimited = statuses.indexOf(429);
    expect(firstLimited).toBeGreaterThan(50);
    expect(firstLimited).toBeLessThanOrEqual(60);
    expect(statuses.slice(0, firstLimited).every((s) => s === 412)).toBe(true);
    expect(statuses.slice(firstLimited).every((s) => s === 429)).toBe(true);
    // Five forged kids: eBay was asked once for each, not once per request.
    expect(sim.control.counters().publicKeyCalls - keyCalls).toBe(5);
    expect((await rows()) - rowsBefore).toBe(firstLimited);
    const limited = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.message).toMatch(/too many refused notifications from this address/);
  });
});
