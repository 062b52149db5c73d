import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DecryptDiagnosis } from '../../crypto/tokenCipher.ts';
import { queryRows } from '../../db/client.ts';
import { dbNumber } from '../../db/rows.ts';
import { createTestContext, type TestContext, useSim } from '../../test/appContext.ts';
import { describeEachDb } from '../../test/db.ts';
import { buildAccount, buildOrg, readTokenRow } from '../../test/factories.ts';
import { storeNewGrant } from '../connect/storeGrant.ts';
import { loadRefreshTarget } from '../sql/loadTarget.ts';
import { refreshAccount } from './refreshAccount.ts';

async function logsOf(ctx: TestContext, accountId: string) {
  const connect = await queryRows(
    ctx.db,
    sql`select action, source, request, response, error from ebay_connect_logs where account_id = ${accountId} order by id`,
    z.looseObject({
      action: z.string(),
      source: z.string(),
      request: z.unknown(),
      response: z.unknown(),
      error: z.looseObject({ code: z.string(), diagnosis: z.string().optional() }).nullable(),
    }),
  );
  const refresh = await queryRows(
    ctx.db,
    sql`select success, error_code, triggered_by, connect_log_id from ebay_token_refresh_logs where account_id = ${accountId} order by id`,
    z.looseObject({
      success: z.boolean(),
      error_code: z.string().nullable(),
      triggered_by: z.string(),
      connect_log_id: dbNumber,
    }),
  );
  return { connect, refresh };
}

describeEachDb('refreshAccount', (getDb) => {
  const getSim = useSim();
  let ctx: TestContext;
  let orgId: string;
  beforeAll(async () => {
    ctx = createTestContext(getDb(), getSim());
    orgId = (await buildOrg(ctx.db)).id;
  });
  beforeEach(() => getSim().control.reset());

  it('refreshes a healthy account, keeps the refresh token and logs a masked transcript', async () => {
    const { accountId, grant } = await buildAccount(ctx, getSim(), { orgId, accessExpiresInSeconds: 60 });
    const before = await readTokenRow(ctx.db, accountId);
    const outcome = await refreshAccount(ctx, accountId, { source: 'manual' });
    expect(outcome).toMatchObject({ kind: 'attempted', result: { ok: true } });
    const result = outcome.kind === 'attempted' && outcome.result.ok ? outcome.result : null;
    expect(result!.accessExpiresAt.getTime()).toBeGreaterThan(Date.now() + 7000 * 1000);
    const after = await readTokenRow(ctx.db, accountId);
    expect(after.version).toBe(before.version + 1);
    expect(after.access_token).not.toBe(before.access_token);
    expect(ctx.cipher.decryptToken(after.refresh_token)).toMatchObject({
      ok: true,
      plaintext: grant.refresh_token,
    });
    expect(after.lease_owner).toBeNull();

    const { connect, refresh } = await logsOf(ctx, accountId);
    expect(connect).toHaveLength(1);
    expect(connect[0]).toMatchObject({ action: 'token_refreshed', source: 'manual', error: null });
    expect(refresh).toEqual([expect.objectContaining({ success: true, triggered_by: 'manual' })]);
    const transcript = JSON.stringify(connect[0]);
    expect(transcript).toContain('grant_type=refresh_token');
    expect(transcript).toContain('refresh_token=v^1.1#');
    for (const secret of getSim().control.issuedSecrets()) expect(transcript).not.toContain(secret);
  });

  it.each<DecryptDiagnosis>([
    'unknown_key_id',
    'auth_failed',
    'double_encrypted',
    'not_an_ebay_token',
    'plaintext_legacy',
    'malformed',
  ])('stops with decrypt_failed (%s) before any HTTP', async (kind) => {
    const { accountId } = await buildAccount(ctx, getSim(), { orgId, brokenRefreshToken: kind });
    const calls = getSim().control.counters().tokenCalls;
    const result = await refreshAccount(ctx, accountId, { source: 'debug' });
    expect(result).toMatchObject({
      kind: 'attempted',
      result: { ok: false, code: 'decrypt_failed', diagnosis: kind },
      exchange: null,
    });
    expect(getSim().control.counters().tokenCalls).toBe(calls);
    const { connect } = await logsOf(ctx, accountId);
    expect(connect[0]).toMatchObject({ action: 'token_refresh_debug', source: 'debug', request: null });
    expect(connect[0]!.error).toMatchObject({ code: 'decrypt_failed', diagnosis: kind });
  });

  it('marks a revoked grant needs_reconnect and keeps the stored refresh token', async () => {
    const { accountId, grant } = await buildAccount(ctx, getSim(), { orgId });
    getSim().control.revokeUser(grant.user_id);
    const result = await refreshAccount(ctx, accountId, { source: 'scheduled' });
    expect(result).toMatchObject({
      kind: 'attempted',
      result: { ok: false, code: 'invalid_grant', transient: false },
      exchange: { response: { status_code: 400 } },
    });
    const [account] = await queryRows(
      ctx.db,
      sql`select status from ebay_accounts where id = ${accountId}`,
      z.looseObject({ status: z.string() }),
    );
    expect(account!.status).toBe('needs_reconnect');
    const row = await readTokenRow(ctx.db, accountId);
    expect(ctx.cipher.decryptToken(row.refresh_token)).toMatchObject({
      ok: true,
      plaintext: grant.refresh_token,
    });
    expect(row).toMatchObject({ last_error_code: 'invalid_grant', consecutive_failures: 1 });
  });

  it('blocks a call whose scopes were not granted, without HTTP', async () => {
    const { accountId } = await buildAccount(ctx, getSim(), {
      orgId,
      scopes: ['https://api.ebay.com/oauth/api_scope'],
    });
    const calls = getSim().control.counters().tokenCalls;
    const result = await refreshAccount(ctx, accountId, { source: 'manual' });
    expect(result).toMatchObject({
      kind: 'attempted',
      result: { ok: false, code: 'missing_scopes' },
      exchange: null,
    });
    expect(getSim().control.counters().tokenCalls).toBe(calls);
    expect((await logsOf(ctx, accountId)).connect[0]!.action).toBe('token_call_blocked_missing_scopes');
  });

  it('does not call eBay with an expired refresh token', async () => {
    const { accountId } = await buildAccount(ctx, getSim(), { orgId, refreshExpiresInSeconds: 1 });
    ctx.clock.advance(5_000);
    try {
      const result = await refreshAccount(ctx, accountId, { source: 'scheduled' });
      expect(result).toMatchObject({
        kind: 'attempted',
        result: { ok: false, code: 'refresh_token_expired' },
        exchange: null,
      });
    } finally {
      ctx.clock.real();
    }
  });

  it.each([
    ['5xx', 'ebay_unavailable', true],
    ['html5xx', 'ebay_unavailable', true],
    ['429', 'rate_limited', true],
    ['reset', 'network_error', true],
    ['timeout', 'timeout', true],
    ['invalid_client', 'invalid_client', false],
  ] as const)('classifies an injected %s as %s', async (kind, code, transient) => {
    const { accountId, grant } = await buildAccount(ctx, getSim(), { orgId });
    const before = await readTokenRow(ctx.db, accountId);
    getSim().control.failNext(kind, 1);
    const result = await refreshAccount(ctx, accountId, { source: 'scheduled' });
    expect(result).toMatchObject({ kind: 'attempted', result: { ok: false, code, transient } });
    const failure = result.kind === 'attempted' && !result.result.ok ? result.result : null;
    if (kind === '429') expect(failure!.retryAfterSeconds).toBeGreaterThan(0);
    const after = await readTokenRow(ctx.db, accountId);
    expect(after.access_token).toBe(before.access_token);
    expect(ctx.cipher.decryptToken(after.refresh_token)).toMatchObject({
      ok: true,
      plaintext: grant.refresh_token,
    });
    expect((await logsOf(ctx, accountId)).refresh[0]).toMatchObject({ success: false, error_code: code });
  });

  it('lets only one refresh of an account run at a time', async () => {
    const { accountId } = await buildAccount(ctx, getSim(), { orgId });
    getSim().control.setLatency(300);
    const [a, b] = await Promise.all([
      refreshAccount(ctx, accountId, { source: 'manual' }),
      refreshAccount(ctx, accountId, { source: 'debug' }),
    ]);
    expect([a.kind, b.kind].sort()).toEqual(['attempted', 'busy']);
    expect(getSim().control.counters().maxConcurrentRefreshesOfOneToken).toBe(1);
  });

  it('never overwrites a token that changed during the call (compare-and-set)', async () => {
    const { accountId } = await buildAccount(ctx, getSim(), { orgId });
    getSim().control.setLatency(400);
    const pending = refreshAccount(ctx, accountId, { source: 'manual' });
    // The refresh has read the row and is waiting on eBay.
    await vi.waitFor(() => expect(getSim().control.counters().inFlightRefreshes).toBe(1), { timeout: 5000 });
    await ctx.db.execute(
      sql`update ebay_tokens set version = version + 1, access_token = 'ENC:v1:x:reconnected' where account_id = ${accountId}`,
    );
    const result = await pending;
    expect(result).toMatchObject({ kind: 'attempted', result: { ok: false, code: 'lease_lost' } });
    expect((await readTokenRow(ctx.db, accountId)).access_token).toBe('ENC:v1:x:reconnected');
  });

  it('does not mark a reconnected account failed when an attempt with its old token fails', async () => {
    const { accountId, grant } = await buildAccount(ctx, getSim(), { orgId });
    const owner = 'worker-test:stale';
    await ctx.db.execute(
      sql`update ebay_tokens set lease_owner = ${owner}, lease_until = now() + interval '1 minute' where account_id = ${accountId}`,
    );
    const claimed = await loadRefreshTarget(ctx.db, accountId);
    // Between the claim and the attempt the seller revokes the old grant and reconnects.
    getSim().control.revokeUser(grant.user_id);
    const fresh = getSim().control.issueGrant({ userId: grant.user_id });
    await storeNewGrant(ctx, {
      orgId,
      environment: 'production',
      houseName: 'Reconnected',
      ebayUserId: grant.user_id,
      ebayUsername: fresh.username,
      accessToken: fresh.access_token,
      accessExpiresIn: fresh.expires_in,
      refreshToken: fresh.refresh_token,
      refreshExpiresIn: fresh.refresh_token_expires_in,
      scopes: ctx.ebay.scopes,
    });
    const result = await refreshAccount(ctx, accountId, {
      source: 'scheduled',
      leaseOwner: owner,
      target: claimed!,
    });
    expect(result).toMatchObject({ kind: 'attempted', result: { ok: false, code: 'lease_lost' } });
    const [row] = await queryRows(
      ctx.db,
      sql`select a.status, t.last_error_code from ebay_accounts a join ebay_tokens t on t.account_id = a.id
          where a.id = ${accountId}`,
      z.looseObject({ status: z.string(), last_error_code: z.string().nullable() }),
    );
    expect(row).toEqual({ status: 'active', last_error_code: null });
  });
});
