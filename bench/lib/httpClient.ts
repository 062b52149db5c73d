/** A signed-in HTTP client for the API over real loopback HTTP (the way the web UI calls it). */

export interface ApiClient {
  get(path: string): Promise<{ status: number; body: string; ms: number }>;
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<ApiClient> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('ebc_session='));
  if (!res.ok || !cookie) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return {
    async get(path) {
      const t0 = performance.now();
      const r = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
      const body = await r.text();
      return { status: r.status, body, ms: performance.now() - t0 };
    },
  };
}
