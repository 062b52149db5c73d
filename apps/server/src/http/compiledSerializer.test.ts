import { terminalLogsResponse } from '@ebay-connector/contracts';
import { AnswerMismatchError, compiledSerializerCompiler } from './compiledSerializer.ts';

const serialize = compiledSerializerCompiler({
  schema: terminalLogsResponse,
  method: 'GET',
  url: '/terminal-logs',
  httpStatus: '200',
});

function entry(id: number) {
  return {
    id,
    created_at: '2025-12-01T12:00:00.000Z',
    action: 'token_refreshed',
    source: 'scheduled',
    environment: 'production',
    ebay_account_id: '11111111-1111-4111-8111-111111111111',
    house_name: 'Main Store',
    request: {
      method: 'POST',
      url: 'https://api.ebay.com/identity/v1/oauth2/token',
      headers: { Authorization: 'Basic ****' },
      body: 'grant_type=refresh_token&refresh_token=v%5E1.1****',
    },
    response: { status_code: 200, reason: 'OK', headers: {}, body: '{"access_token":"v^1.1****"}' },
    summary: null,
    error: null,
    duration_ms: 120,
  };
}
const page = () => ({ entries: [entry(2), entry(1)], next_before_id: null as number | null });

describe('the compiled response check', () => {
  it('writes a valid answer exactly as JSON.stringify does', () => {
    const answer = page();
    expect(serialize(answer)).toBe(JSON.stringify(answer));
  });

  it.each([
    [
      'an action outside the contract',
      (p: ReturnType<typeof page>) => Object.assign(p.entries[0]!, { action: 'x' }),
    ],
    ['a missing field', (p: ReturnType<typeof page>) => Reflect.deleteProperty(p.entries[1]!, 'source')],
    ['a wrong type', (p: ReturnType<typeof page>) => Object.assign(p.entries[0]!, { id: '2' })],
    [
      'a number that is not finite',
      (p: ReturnType<typeof page>) => Object.assign(p, { next_before_id: Number.NaN }),
    ],
    [
      'null where null is not allowed',
      (p: ReturnType<typeof page>) => Object.assign(p.entries[0]!, { created_at: null }),
    ],
    [
      'a header value that is not text',
      (p: ReturnType<typeof page>) => Object.assign(p.entries[0]!.request.headers, { 'X-Count': 3 }),
    ],
  ])('refuses %s, as the zod schema does', (_name, spoil) => {
    const answer = page();
    spoil(answer);
    expect(terminalLogsResponse.safeParse(answer).success).toBe(false);
    expect(() => serialize(answer)).toThrow(AnswerMismatchError);
  });

  it('refuses a key the contract does not have, rather than letting it out', () => {
    const answer = page();
    Object.assign(answer.entries[0]!, { refresh_token: 'v^1.1#secret' });
    expect(() => serialize(answer)).toThrow(/must NOT have additional properties/);
  });
});
