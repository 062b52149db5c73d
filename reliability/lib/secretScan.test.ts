import { SecretIndex } from './secretScan.ts';

/** The scanner must find what it is looking for, or "zero hits" would mean nothing. */
describe('SecretIndex', () => {
  const refresh = 'v^1.1#i^1#p^3#r^1#I^3#f^0#t^Ul4xAbc+def/ghi=';
  const access = `v^1.1#i^1#p^3#r^1#I^3#f^0#t^H4sIAAAAAAAA/+${'Q'.repeat(200)}=`;
  const clientSecret = 'PRD-0123456789abcdef-abcd-ef01';
  const index = new SecretIndex([refresh, access, clientSecret]);

  it('finds a whole secret in raw text, JSON and a log line', () => {
    const text = `{"refresh_token":"${refresh}"} and ${clientSecret} and ${access}`;
    expect(index.scan(text, 't').map((h) => h.encoding)).toEqual(['raw', 'raw', 'raw']);
  });

  it('finds a percent-encoded secret (a form body or URL), upper- or lower-case hex', () => {
    const upper = `grant_type=refresh_token&refresh_token=${encodeURIComponent(refresh)}&scope=x`;
    const lower = upper.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    expect(index.scan(upper, 'u')).toHaveLength(1);
    expect(index.scan(lower, 'l')).toHaveLength(1);
  });

  it('does not count masked values or other tokens of the same shape', () => {
    const masked = `${refresh.slice(0, 8)}…${refresh.slice(-4)} ${access.slice(0, -1)}X v^1.1#i^1#p^3#r^1#I^3#f^0#t^Ul4xAbc+def/ghi`;
    expect(index.scan(masked, 'm')).toEqual([]);
  });
});
