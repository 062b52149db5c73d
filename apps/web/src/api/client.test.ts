import { endpoints } from '@ebay-connector/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_ID } from '../test/fixtures.ts';
import { jsonResponse, mockApi } from '../test/mockApi.ts';
import { ApiRequestError, describeError } from './apiError.ts';
import { api, endpointUrl, toQueryString } from './client.ts';

afterEach(() => vi.unstubAllGlobals());

describe('toQueryString', () => {
  it('leaves out empty values and joins lists with commas', () => {
    expect(toQueryString({ env: undefined, source: ['scheduled', 'debug'], limit: 50, q: '', x: null })).toBe(
      '?source=scheduled%2Cdebug&limit=50',
    );
    expect(toQueryString({})).toBe('');
  });
});

describe('api', () => {
  it('sends JSON with Content-Type on POST (the CSRF rule wants it)', async () => {
    const server = mockApi({ 'POST /api/auth/logout': () => ({ ok: true }) });
    await api(endpoints.logout);
    expect(server.calls[0]?.headers['Content-Type']).toBe('application/json');
    expect(server.calls[0]?.body).toEqual({});
  });

  it('builds the path from its parameters and sends the query as written', async () => {
    const server = mockApi({
      [`GET /api/admin/ebay/accounts/${ACCOUNT_ID}/refresh-log`]: () => ({ logs: [] }),
    });
    await expect(
      api(endpoints.refreshLog, { params: { id: ACCOUNT_ID }, query: { limit: 5 } }),
    ).resolves.toEqual({
      logs: [],
    });
    expect(server.calls[0]?.method).toBe('GET');
    expect(server.calls[0]?.query.toString()).toBe('limit=5');
  });

  it('refuses input the contract refuses, with the server’s message, and sends nothing', async () => {
    const server = mockApi({});
    await expect(
      api(endpoints.tokenStatus, { query: { ebay_account_id: 'not-an-id' } }),
    ).rejects.toMatchObject({
      status: 0,
      code: 'invalid_request',
      message: 'ebay_account_id: must be an account id (UUID)',
    });
    await expect(
      api(endpoints.connectStart, { body: { environment: 'sandbox', house_name: '   ' } }),
    ).rejects.toMatchObject({ code: 'invalid_request', message: 'house_name: house_name is required' });
    expect(() => endpointUrl(endpoints.terminalStream, { query: { after_id: -1 } })).toThrow(
      'after_id: after_id must be at least 0',
    );
    expect(server.fetchMock).not.toHaveBeenCalled();
  });

  it('types the input by the contract, and refuses at run time what the types refuse', async () => {
    const server = mockApi({});
    // @ts-expect-error the path parameter is required
    await expect(api(endpoints.manualRefresh)).rejects.toMatchObject({ code: 'invalid_request' });
    // @ts-expect-error limit is a number
    await expect(api(endpoints.tokenStatus, { query: { limit: 'ten' } })).rejects.toMatchObject({
      message: 'limit: limit must be a number',
    });
    expect(server.fetchMock).not.toHaveBeenCalled();
  });

  it('turns the API error body into a readable error with its code', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(403, { error: { code: 'forbidden', message: 'Admins only' } }),
    });
    const error = await api(endpoints.me).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 403, code: 'forbidden', message: 'Admins only' });
    expect(describeError(error)).toBe('Admins only (forbidden)');
  });

  it('names the status when the error body is not the API shape', async () => {
    mockApi({
      'GET /api/auth/me': () =>
        new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    });
    await expect(api(endpoints.me)).rejects.toMatchObject({
      code: 'http_502',
      message: '502 Bad Gateway',
    });
  });

  it('resolves a 204 No Content answer (a DELETE) without a body to parse', async () => {
    const id = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
    const server = mockApi({
      [`DELETE /api/admin/api-keys/${id}`]: () => new Response(null, { status: 204 }),
    });
    await expect(api(endpoints.revokeApiKey, { params: { id } })).resolves.toBeUndefined();
    expect(server.calls[0]?.method).toBe('DELETE');
  });

  it('rejects responses that do not match the contract', async () => {
    mockApi({ 'GET /api/auth/me': () => ({ user: { id: 1 } }) });
    await expect(api(endpoints.me)).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('reports an unreachable server as network_error', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(api(endpoints.me)).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
    });
  });
});
