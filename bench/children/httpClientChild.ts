import { type ApiClient, signIn } from '../lib/httpClient.ts';
import { serveIpc } from '../lib/ipcChild.ts';

/**
 * The API's client in its own process (like a browser), so timing a request never competes
 * with the server for the same event loop. Times are taken here, around fetch and body read.
 */

let client: ApiClient | null = null;

serveIpc({
  signIn: async ({ base, email, password }: { base: string; email: string; password: string }) => {
    client = await signIn(base, email, password);
  },
  get: async ({ path }: { path: string }) => {
    if (!client) throw new Error('not signed in');
    const r = await client.get(path);
    let entries: number | null = null;
    let accounts: number | null = null;
    try {
      const body = JSON.parse(r.body) as { entries?: unknown[]; accounts?: unknown[] };
      entries = body.entries?.length ?? null;
      accounts = body.accounts?.length ?? null;
    } catch {}
    return {
      status: r.status,
      ms: r.ms,
      bytes: r.body.length,
      entries,
      accounts,
      snippet: r.body.slice(0, 300),
    };
  },
});
