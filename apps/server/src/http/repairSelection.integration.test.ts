import type { TokenDoctorReport, TokenRepairReport } from '@ebay-connector/contracts';
import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, signedInClient, useHarness } from '../test/harness.ts';
import { waitFor } from '../test/waitFor.ts';
import { clearWorkerTables } from '../test/workerFixtures.ts';
import { refreshAccount } from '../tokens/refresh/refreshAccount.ts';
import { createTokenRefreshWorker } from '../workers/tokenRefreshWorker.ts';

const A = '/api/admin/ebay';

/**
 * Issue 16, defect 3: repairs chosen by cause or account; the default for a missing key agrees
 * with the doctor's advice (add it back, the repair leaves it alone); repaired accounts are
 * refreshed at once by a worker cycle requested through the database.
 */
describeEachDb('repairs by selection, and refreshed at once', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  beforeAll(async () => {
    await clearWorkerTables(h().ctx.db);
    admin = await signedInClient(h());
  });

  /** A broken account that already failed its refresh (as the worker leaves it): FAILING. */
  async function failing(
    kind: 'double_encrypted' | 'plaintext_legacy' | 'unknown_key_id',
    houseName: string,
  ) {
    const { accountId } = await buildAccount(h().ctx, h().sim, {
      orgId: admin.orgId,
      houseName,
      brokenRefreshToken: kind,
      accessExpiresInSeconds: 60,
    });
    await refreshAccount(h().ctx, accountId, { source: 'manual' });
    return accountId;
  }
  const repair = async (body: Record<string, unknown>) => {
    const res = await admin.post(`${A}/tokens/repair`, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<TokenRepairReport>();
  };
  const states = async () => {
    const status = (await admin.get(`${A}/tokens/status`)).json();
    return Object.fromEntries(
      status.accounts.map((a: { house_name: string; state: string; status: string }) => [
        a.house_name,
        `${a.state}/${a.status}`,
      ]),
    );
  };

  it('leaves a missing key alone by default and says where the key goes back', async () => {
    const lost = await failing('unknown_key_id', 'Lost Key');
    const doctor = (await admin.get(`${A}/tokens/doctor`)).json<TokenDoctorReport>();
    expect(doctor.key_ring).toEqual({ source: 'file', location: './data/token-encryption-keys' });
    const problem = doctor.accounts.find((a) => a.ebay_account_id === lost)!.problems[0]!;
    expect(problem).toMatchObject({ cause: 'unknown_key_id', repair: 'add_key_back' });
    expect(problem.message).toMatch(
      /key "retired2024", which is not in the key ring .*; add key "retired2024" back to the key file \.\/data\/token-encryption-keys/,
    );
    const applied = await repair({ apply: true });
    expect(applied).toMatchObject({ changed: 0, waiting_for_key: 1, refresh_after: null });
    expect((await states())['Lost Key']).toBe('failing/active');
    // Only on purpose, for that cause: the key is lost, the seller must reconnect.
    const gaveUp = await repair({
      apply: true,
      causes: ['unknown_key_id'],
      unknown_key: 'mark_needs_reconnect',
    });
    expect(gaveUp.by_action).toEqual({ mark_needs_reconnect: 1 });
    expect((await states())['Lost Key']).toBe('needs_reconnect/needs_reconnect');
  });

  it('repairs only the chosen cause, or only the confirmed accounts', async () => {
    const twice = await failing('double_encrypted', 'Twice');
    const plain = await failing('plaintext_legacy', 'Plain');
    const byCause = await repair({ apply: false, causes: ['double_encrypted'] });
    expect(byCause.accounts.map((a) => a.ebay_account_id)).toEqual([twice]);
    const byAccount = await repair({ apply: false, ebay_account_ids: [plain] });
    expect(byAccount.accounts.map((a) => a.ebay_account_id)).toEqual([plain]);
    // Both limits together: nothing is both.
    expect(
      (await repair({ apply: false, causes: ['double_encrypted'], ebay_account_ids: [plain] })).changed,
    ).toBe(0);
    // Another org's account id selects nothing of theirs.
    const stranger = await signedInClient(h());
    const theirs = await buildAccount(h().ctx, h().sim, {
      orgId: stranger.orgId,
      brokenRefreshToken: 'double_encrypted',
    });
    expect((await repair({ apply: true, ebay_account_ids: [theirs.accountId] })).changed).toBe(0);
    expect((await admin.post(`${A}/tokens/repair`, { causes: [] })).statusCode).toBe(400);
  });

  it('asks the worker for a cycle at once, which refreshes the repaired accounts within seconds', async () => {
    const twice = await failing('double_encrypted', 'Twice Again');
    const controller = new AbortController();
    // A replica that would next run in an hour on its own.
    const loop = createTokenRefreshWorker({ intervalSeconds: 3600, runRequestPollMs: 100 }).start(h().ctx, {
      signal: controller.signal,
    });
    try {
      await waitFor(
        async () => (await admin.get(`${A}/workers/loop-status`)).json().loops[0]?.next_cycle_at,
        30_000,
        'the loop asleep',
      );
      expect((await states())['Twice Again']).toBe('failing/active');
      const applied = await repair({ apply: true, ebay_account_ids: [twice] });
      expect(applied.refresh_after).toMatchObject({
        due_now: 1,
        cycle_requested_at: expect.any(String),
        worker_running: true,
      });
      await waitFor(async () => (await states())['Twice Again'] === 'healthy/active', 10_000, 'the refresh');
      const loops = (await admin.get(`${A}/workers/loop-status`)).json().loops;
      expect(loops[0].run_request).toMatchObject({
        requested_by: admin.user.email,
        taken_by: h().ctx.instanceId,
      });
    } finally {
      controller.abort();
      await loop.done;
    }
  });

  it('Run cycle now: admins only, an unknown loop is a 404, and another org never sees who asked', async () => {
    const viewer = await signedInClient(h(), { orgId: admin.orgId, role: 'viewer' });
    expect((await viewer.post(`${A}/workers/token_refresh_worker/run-cycle`)).statusCode).toBe(403);
    expect((await admin.post(`${A}/workers/no_such_loop/run-cycle`)).statusCode).toBe(404);
    expect((await admin.post(`${A}/workers/Bad-Name!/run-cycle`)).statusCode).toBe(400);
    const res = await admin.post(`${A}/workers/token_refresh_worker/run-cycle`);
    expect(res.statusCode).toBe(200);
    expect(res.json().loop.run_request).toMatchObject({ requested_by: admin.user.email });
    const stranger = await signedInClient(h());
    const theirs = (await stranger.get(`${A}/workers/loop-status`)).json().loops[0];
    expect(theirs.run_request).toMatchObject({ requested_by: null, requested_at: expect.any(String) });
    // No replica is running now: the request waits, and says so.
    expect(theirs.replicas).toEqual([]);
  });
});
