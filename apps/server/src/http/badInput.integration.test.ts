import { describeEachDb } from '../test/db.ts';
import { buildAccount } from '../test/factories.ts';
import { type Client, PUBLIC_URL, signedInClient, useHarness } from '../test/harness.ts';

/**
 * Table-driven bad input over every route: wrong types, unknown enums, out-of-range
 * numbers, ids that are not ids, malformed or oversized bodies, wrong content types.
 * Every case must be a 4xx with the `{"error": {"code", "message"}}` body, never a 5xx.
 */

interface BadCase {
  name: string;
  method: 'GET' | 'POST';
  url: string;
  payload?: string;
  headers?: Record<string, string>;
  /** Expected status; 400 unless said otherwise. */
  status?: number;
}

const A = '/api/admin/ebay';
const LIST_ROUTES = [`${A}/tokens/logs`, `${A}/tokens/terminal-logs`, `${A}/tokens/status`];
const TERMINAL_ROUTES = [`${A}/tokens/terminal-logs`, `${A}/tokens/terminal-stream`];

const BAD_QUERY: Record<string, string[]> = {
  env: ['staging', 'PRODUCTION', '', 'production&env=sandbox', '%00'],
  limit: ['0', '1001', '-1', 'abc', '1.5', '1e309', '', '99999999999999999999'],
  before_id: ['0', '-5', 'x', '1.2', '1e400'],
  ebay_account_id: [
    'not-a-uuid',
    '1',
    "'%3B drop table ebay_accounts%3B--",
    '00000000-0000-0000-0000-00000000000g',
    '',
  ],
};
const BAD_TERMINAL_QUERY: Record<string, string[]> = {
  source: ['cron', 'scheduled,bogus', 'SCHEDULED', 'x'.repeat(300)],
  errors_only: ['yes', '1'],
  kind: ['bogus', ''],
};
const BAD_STATUS_QUERY: Record<string, string[]> = {
  search: ['s'.repeat(201)],
  state: ['bogus', 'HEALTHY'],
  offset: ['-1', 'x', '1.5'],
};
const BAD_IDS = [
  'not-a-uuid',
  '123',
  'x'.repeat(150),
  '%27%20or%201%3D1',
  'null',
  '00000000-0000-0000-0000-0000000000000',
];

function queryCases(routes: string[], table: Record<string, string[]>): BadCase[] {
  return routes.flatMap((url) =>
    Object.entries(table)
      // The status list pages by offset; it has no before_id to get wrong.
      .filter(([param]) => !(param === 'before_id' && url.endsWith('/status')))
      .flatMap(([param, values]) =>
        values.map((v) => ({
          name: `GET ${url} ${param}=${v.slice(0, 20)}`,
          method: 'GET' as const,
          url: `${url}?${param}=${v}`,
        })),
      ),
  );
}

const json = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
function bodyCases(url: string, bodies: unknown[], extra: Partial<BadCase> = {}): BadCase[] {
  return bodies.map((b) => ({
    name: `POST ${url} ${json(b).slice(0, 40)}`,
    method: 'POST',
    url,
    payload: json(b),
    ...extra,
  }));
}

const CASES: BadCase[] = [
  ...queryCases(LIST_ROUTES, BAD_QUERY),
  ...queryCases(TERMINAL_ROUTES, BAD_TERMINAL_QUERY),
  ...queryCases([`${A}/tokens/status`], BAD_STATUS_QUERY),
  ...queryCases([`${A}/tokens/terminal-stream`], { after_id: ['-1', 'x', '1.5'], env: ['staging'] }),
  ...queryCases([`${A}/accounts`], { env: ['staging', ''] }),
  ...BAD_IDS.flatMap((id) => [
    {
      name: `refresh-log id=${id.slice(0, 20)}`,
      method: 'GET' as const,
      url: `${A}/accounts/${id}/refresh-log`,
    },
    {
      name: `token-info id=${id.slice(0, 20)}`,
      method: 'POST' as const,
      url: `${A}/accounts/${id}/token-info`,
    },
    {
      name: `refresh id=${id.slice(0, 20)}`,
      method: 'POST' as const,
      url: `${A}/accounts/${id}/refresh`,
      payload: '{}',
    },
  ]),
  { name: 'refresh-log limit=0', method: 'GET', url: `${A}/accounts/{ID}/refresh-log?limit=0` },
  { name: 'refresh-log limit=abc', method: 'GET', url: `${A}/accounts/{ID}/refresh-log?limit=abc` },
  ...bodyCases(`${A}/token/refresh-debug`, [
    {},
    { ebay_account_id: 123 },
    { ebay_account_id: 'x' },
    { ebay_account_id: null },
    [],
    'null',
    '"text"',
    '42',
    '{',
    '{"ebay_account_id":',
  ]),
  ...bodyCases(`${A}/connect/start`, [
    {},
    { environment: 'staging', house_name: 'x' },
    { environment: 'production' },
    { environment: 'production', house_name: '' },
    { environment: 'production', house_name: '    ' },
    { environment: 'production', house_name: 'h'.repeat(101) },
    { environment: 'production', house_name: 42 },
    { environment: ['production'], house_name: 'x' },
    '{"environment":"production","house_name":"x"',
  ]),
  ...bodyCases('/api/auth/login', [
    {},
    { email: 'a@example.test' },
    { email: 'not-an-email', password: 'x' },
    { email: 'a@example.test', password: '' },
    { email: 'a@example.test', password: 'p'.repeat(2000) },
    { email: 42, password: 'x' },
    '[]',
    '{"email":',
    '{"__proto__":{"admin":true},"email":"a@example.test","password":"x"}',
  ]),
  {
    name: 'login as a form',
    method: 'POST',
    url: '/api/auth/login',
    payload: 'email=a&password=b',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
  },
  {
    name: 'login as text',
    method: 'POST',
    url: '/api/auth/login',
    payload: 'hello',
    headers: { 'content-type': 'text/plain' },
    status: 415,
  },
  {
    name: 'login oversized',
    method: 'POST',
    url: '/api/auth/login',
    payload: JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(100_000) }),
    status: 413,
  },
  {
    name: 'debug oversized',
    method: 'POST',
    url: `${A}/token/refresh-debug`,
    payload: JSON.stringify({ ebay_account_id: 'x'.repeat(100_000) }),
    status: 413,
  },
  {
    name: 'debug as a form',
    method: 'POST',
    url: `${A}/token/refresh-debug`,
    payload: 'ebay_account_id=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
  },
  {
    name: 'connect as xml',
    method: 'POST',
    url: `${A}/connect/start`,
    payload: '<a/>',
    headers: { 'content-type': 'application/xml' },
    status: 415,
  },
  {
    name: 'stream with a bad Last-Event-ID',
    method: 'GET',
    url: `${A}/tokens/terminal-stream`,
    headers: { 'last-event-id': 'abc' },
  },
  // A malformed OAuth callback is a 303 to the Accounts page, not a 400: connect.integration.test.ts.
  { name: 'a bad percent-encoding', method: 'GET', url: `${A}/tokens/logs?env=%E0%A4%A` },
];

describeEachDb('bad input on every route', (getDb) => {
  const h = useHarness(getDb);
  let admin: Client;
  let accountId: string;
  beforeAll(async () => {
    admin = await signedInClient(h());
    accountId = (await buildAccount(h().ctx, h().sim, { orgId: admin.orgId })).accountId;
  });

  it('covers at least 100 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
  });

  // The web client checks its input with the same schemas and words the failure the same way
  // (apps/web/src/api/client.test.ts expects these messages before anything is sent).
  it('names the field in the message', async () => {
    const status = await admin.get(`${A}/tokens/status?ebay_account_id=not-an-id`);
    expect(status.json().error).toEqual({
      code: 'invalid_request',
      message: 'ebay_account_id: must be an account id (UUID)',
    });
    const start = await admin.post(`${A}/connect/start`, { environment: 'sandbox', house_name: '   ' });
    expect(start.json().error.message).toBe('house_name: house_name is required');
    const stream = await admin.get(`${A}/tokens/terminal-stream?after_id=-1`);
    expect(stream.json().error.message).toBe('after_id: after_id must be at least 0');
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s → 4xx with an error body', async (_name, c) => {
    const res = await h().app.inject({
      method: c.method,
      url: c.url.replace('{ID}', accountId),
      headers: {
        cookie: admin.cookie,
        origin: PUBLIC_URL,
        ...(c.method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...c.headers,
      },
      ...(c.payload !== undefined ? { payload: c.payload } : {}),
    });
    expect(res.statusCode, res.body).toBe(c.status ?? 400);
    const body = res.json();
    expect(body.error.code).toMatch(/^[a-z_]+$/);
    expect(typeof body.error.message).toBe('string');
  });
});
