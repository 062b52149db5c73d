import { createUser } from '@ebay-connector/server';
import { openSse, type SseConnection, type SseEvent } from '@ebay-connector/server/test-support';
import { createAccounts, createOrg } from '../lib/accounts.ts';
import { signIn } from '../lib/http.ts';
import type { SuiteEnv } from '../lib/suiteEnv.ts';

/**
 * Attack (issue 15): a stolen or shared browser keeps the terminal's live stream open, then the
 * user signs out (or an admin disables them). The stream checked the session only when it
 * opened, so it kept delivering the org's entries (masked transcripts) for as long as the
 * socket lived. Also: one session opened 300 streams. Against the suite's web process, over
 * HTTP, with its production settings (session re-checked every 2 s, 5 streams a session).
 */

export interface StreamAfterLogoutResult {
  /** From the logout answer to the end of the stream; null: still open after `waitMs`. */
  endedAfterMs: number | null;
  /** Entries written after the logout (another admin's debug refreshes, 6 a minute at most)… */
  entriesWrittenAfterLogout: number;
  /** …and how many of them reached the signed-out stream. */
  entriesAfterLogout: number;
  lastEvent: string | null;
  /** Streams one session asked for, and how each was answered. */
  streamsAsked: number;
  streamsOpened: number;
  streamsRefused429: number;
}

const STREAM = '/api/admin/ebay/tokens/terminal-stream';
const entries = (events: SseEvent[]) => events.filter((e) => e.event === 'entry').length;

export async function runStreamAfterLogoutStage(
  env: SuiteEnv,
  o: { waitMs: number; streamsAsked: number },
): Promise<StreamAfterLogoutResult> {
  const { ctx, sim, api } = env;
  const orgId = await createOrg(ctx, 'reliability-stream-after-logout');
  const password = 'stream-after-logout-1';
  for (const email of ['leaver@reliability.test', 'stayer@reliability.test']) {
    const created = await createUser(ctx.db, { orgId, email, role: 'admin', password });
    if (!created.ok) throw new Error(created.message);
  }
  const leaver = await signIn(api, 'leaver@reliability.test', password);
  const stayer = await signIn(api, 'stayer@reliability.test', password);
  const [account] = await createAccounts(ctx, sim, {
    orgId,
    count: 1,
    accessExpiresInSeconds: 7200,
    label: 'stream after logout',
  });
  const debugRefresh = () =>
    api.json('POST', '/api/admin/ebay/token/refresh-debug', stayer, { ebay_account_id: account!.accountId });

  const open: SseConnection[] = [];
  try {
    const stream = await openSse(`${api.baseUrl}${STREAM}?source=debug`, { cookie: leaver });
    open.push(stream);
    await debugRefresh();
    await stream.waitFor((e) => entries(e) === 1, 10_000);
    const logout = await api.json('POST', '/api/auth/logout', leaver, {});
    if (logout.status !== 200 && logout.status !== 204) throw new Error(`logout answered ${logout.status}`);
    const loggedOut = performance.now();
    let endedAfterMs: number | null = null;
    let written = 0;
    void stream.ended.then(() => {
      endedAfterMs = Math.round(performance.now() - loggedOut);
    });
    // Keep writing entries while waiting: what an open stream would deliver.
    while (endedAfterMs === null && performance.now() - loggedOut < o.waitMs) {
      if ((await debugRefresh()).status === 200) written++;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 300));

    const statuses: number[] = [];
    for (let i = 0; i < o.streamsAsked; i++) {
      const c = await openSse(`${api.baseUrl}${STREAM}`, { cookie: stayer });
      open.push(c);
      statuses.push(c.status);
    }
    return {
      endedAfterMs,
      entriesWrittenAfterLogout: written,
      entriesAfterLogout: entries(stream.events) - 1,
      lastEvent: stream.events.at(-1)?.event ?? null,
      streamsAsked: o.streamsAsked,
      streamsOpened: statuses.filter((s) => s === 200).length,
      streamsRefused429: statuses.filter((s) => s === 429).length,
    };
  } finally {
    for (const c of open) c.close();
  }
}
