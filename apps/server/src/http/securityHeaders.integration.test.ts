import { describeEachDb } from '../test/db.ts';
import { signedInClient, useHarness } from '../test/harness.ts';

describeEachDb('security headers', (getDb) => {
  const h = useHarness(getDb);

  it('answers API JSON with Cache-Control: no-store, a Permissions-Policy, and a CSP allowing styles from this origin only', async () => {
    const client = await signedInClient(h());
    for (const url of ['/api/auth/me', '/api/admin/ebay/accounts', '/api/admin/tokens/status']) {
      const res = await client.get(url);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const res = await client.get('/api/auth/me');
    expect(res.headers['permissions-policy']).toMatch(/camera=\(\), microphone=\(\), geolocation=\(\)/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toMatch(/style-src[^;]*https:/);
  });
});
