import type { SuiteEnv } from '../lib/suiteEnv.ts';

/**
 * Every path a secret travels, driven once with real values before the fuzz, so the secrets
 * scan has something to find if masking fails anywhere: the connect flow (a real authorization
 * code exchanged through the callback, then the same callback replayed), a reconnect, the token
 * info, a debug refresh (the full transcript), a manual refresh, and every log view.
 */

export interface SecretPathsResult {
  connectedAccountId: string | null;
  /** `name → status` of every call. */
  statuses: Record<string, number>;
  replayOutcome: string;
}

const A = '/api/admin/ebay';

export async function exerciseSecretPaths(env: SuiteEnv, cookie: string): Promise<SecretPathsResult> {
  const { api, sim } = env;
  const statuses: Record<string, number> = {};
  const call = async (name: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await api.json(method, path, cookie, body);
    statuses[name] = res.status;
    return res;
  };
  await sim.setRedirectUrls(`${api.baseUrl}/api/ebay/oauth/callback`);

  let connectedAccountId: string | null = null;
  let replayOutcome = '';
  for (const round of ['connect', 'reconnect'] as const) {
    const start = await call(`${round}/start`, 'POST', `${A}/connect/start`, {
      environment: 'production',
      house_name: `Secret paths ${round}`,
    });
    const authorizeUrl = new URL((JSON.parse(start.body) as { authorize_url: string }).authorize_url);
    const consent = new URLSearchParams(authorizeUrl.searchParams);
    consent.set('action', 'agree');
    consent.set('new_username', 'secret_paths_seller');
    const agreed = await fetch(`${sim.url}/oauth2/authorize/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: consent.toString(),
      redirect: 'manual',
    });
    const callback = new URL(agreed.headers.get('location') ?? '');
    const path = `${callback.pathname}${callback.search}`;
    const landed = await call(`${round}/callback`, 'GET', path);
    const target = new URL(String(landed.headers.location ?? ''), api.baseUrl);
    connectedAccountId = target.searchParams.get('connected') ?? connectedAccountId;
    // The same callback again: the code is spent and the state used; it must fail cleanly.
    const replay = await call(`${round}/callback replayed`, 'GET', path);
    replayOutcome =
      new URL(String(replay.headers.location ?? ''), api.baseUrl).searchParams.get('connect_error') ?? 'none';
  }
  if (connectedAccountId) {
    const id = connectedAccountId;
    await call('token-info', 'POST', `${A}/accounts/${id}/token-info`, {});
    await call('refresh-debug', 'POST', `${A}/token/refresh-debug`, { ebay_account_id: id });
    await call('manual refresh', 'POST', `${A}/accounts/${id}/refresh`, {});
    await call('refresh-log', 'GET', `${A}/accounts/${id}/refresh-log`);
    await call('tokens/logs', 'GET', `${A}/tokens/logs?limit=1000`);
    await call('terminal-logs all', 'GET', `${A}/tokens/terminal-logs?kind=all&limit=1000`);
    await call('terminal-stream', 'GET', `${A}/tokens/terminal-stream?kind=all&after_id=0`);
    await call('tokens/doctor', 'GET', `${A}/tokens/doctor`);
    await call('tokens/status', 'GET', `${A}/tokens/status?ebay_account_id=${id}`);
  }
  return { connectedAccountId, statuses, replayOutcome };
}
