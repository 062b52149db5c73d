import { startEbaySim } from '@ebay-connector/ebay-sim';
import { serveIpc } from '../lib/ipcChild.ts';

/**
 * The eBay simulator in its own process, driven over IPC, so its CPU time never counts as the
 * worker's. Grants are issued in bulk here (in-process `control.issueGrant`, fast) and only the
 * refresh tokens travel back: the benchmark stores them encrypted like the connect flow would.
 */

const sim = await startEbaySim();

serveIpc({
  info: () => ({ url: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret, ruName: sim.ruName }),
  issueGrants: ({ count, prefix }: { count: number; prefix: string }) => {
    const grants: { userId: string; username: string; refreshToken: string }[] = [];
    for (let i = 0; i < count; i++) {
      const grant = sim.control.issueGrant({ userId: `${prefix}${i}`, username: `${prefix}_seller_${i}` });
      grants.push({ userId: grant.user_id, username: grant.username, refreshToken: grant.refresh_token });
    }
    return grants;
  },
  /** One grant with its access token (the service benchmark calls the Sell API directly with it). */
  issueGrant: ({ username }: { username: string }) => sim.control.issueGrant({ username }),
  expireAccessTokens: ({ userId }: { userId: string }) => sim.control.expireAccessTokens(userId),
  setLatency: ({ ms }: { ms: number }) => sim.control.setLatency(ms),
  counters: () => {
    const { refreshCallsByToken: _omit, ...rest } = sim.control.counters();
    return rest;
  },
  resetCounters: () => sim.control.resetCounters(),
  close: () => sim.close(),
});
