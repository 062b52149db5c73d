import { maskExchange } from './mask.ts';
import { type LogRow, presentLogEntry } from './presentLogEntry.ts';

const REFRESH = `v^1.1#i^1#p^3#r^1#I^3#f^0#t^${'Ul4xMF8xOjQ2QkY'.repeat(8)}+abc/Ul4x=`;
const ACCESS = `v^1.1#i^1#f^0#p^3#I^3#r^0#t^${'H4sIAAAAAAAAAO1Z'.repeat(40)}==`;
const SECRET = 'PRD-4b8a9c1d2e3f-0a1b-2c3d';
const CLIENT_ID = 'SimApp-ebayconn-PRD-1a2b3c';
const BASIC = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
const ORG = '00000000-0000-4000-8000-000000000001';

/** A captured exchange that somehow got stored without masking. */
const unmasked = {
  request: {
    method: 'POST',
    url: `https://api.ebay.com/identity/v1/oauth2/token?code=${encodeURIComponent(REFRESH)}`,
    headers: { Authorization: `Basic ${BASIC}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(REFRESH)}&password=hunter2-hunter2`,
  },
  response: {
    status_code: 200,
    reason: 'OK',
    headers: { 'content-type': 'application/json', 'set-cookie': 'sid=abc', rlogid: 't6ldssk67%3D9' },
    body: JSON.stringify({ access_token: ACCESS, id_token: 'plain-id-token-value', echo: SECRET }),
  },
};

const row = (exchange: { request: unknown; response: unknown }): LogRow => ({
  id: 1,
  orgId: ORG,
  accountId: null,
  environment: 'production',
  action: 'token_refreshed',
  source: 'scheduled',
  ...exchange,
  error: null,
  summary: null,
  durationMs: 12,
  createdAt: new Date('2025-12-01T12:00:00Z'),
  houseName: null,
});

describe('presentLogEntry: the last line of defence', () => {
  it('masks a transcript that got stored unmasked', () => {
    const entry = presentLogEntry(row(unmasked), ORG, SECRET);
    const text = JSON.stringify(entry);
    for (const secret of [
      REFRESH,
      ACCESS,
      SECRET,
      BASIC,
      encodeURIComponent(REFRESH),
      'hunter2-hunter2',
      'plain-id-token-value',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(entry.request?.headers.Authorization).toBe(`Basic ${CLIENT_ID}:********`);
    expect(entry.response?.headers['set-cookie']).toBe('********');
    expect(text).toContain('t6ldssk67%3D9');
  });

  it('shows a transcript masked when written as it was stored', () => {
    const stored = maskExchange(unmasked, { clientSecret: SECRET });
    const entry = presentLogEntry(row(stored), ORG, SECRET);
    expect(entry.request).toEqual(stored.request);
    expect(entry.response).toEqual(stored.response);
  });
});
