import { meResponse } from '@ebay-connector/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { jsonResponse, mockApi } from '../test/mockApi.ts';
import { ApiRequestError, describeError } from './apiError.ts';
import { apiGet, apiPost, toQueryString } from './client.ts';

afterEach(() => vi.unstubAllGlobals());

describe('toQueryString', () => {
  it('leaves out empty values and joins lists with commas', () => {
    expect(toQueryString({ env: undefined, source: ['scheduled', 'debug'], limit: 50, q: '', x: null })).toBe(
      '?source=scheduled%2Cdebug&limit=50',
    );
    expect(toQueryString({})).toBe('');
  });
});

describe('apiRequest', () => {
  it('sends JSON with Content-Type on POST (the CSRF rule wants it)', async () => {
    const api = mockApi({ 'POST /api/auth/logout': () => ({ ok: true }) });
    await apiPost('/api/auth/logout', z.unknown());
    expect(api.calls[0]?.headers['Content-Type']).toBe('application/json');
    expect(api.calls[0]?.body).toEqual({});
  });

  it('turns the API error body into a readable error with its code', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(403, { error: { code: 'forbidden', message: 'Admins only' } }),
    });
    const error = await apiGet('/api/auth/me', meResponse).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 403, code: 'forbidden', message: 'Admins only' });
    expect(describeError(error)).toBe('Admins only (forbidden)');
  });

  it('names the status when the error body is not the API shape', async () => {
    mockApi({
      'GET /api/auth/me': () =>
        new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    });
    await expect(apiGet('/api/auth/me', meResponse)).rejects.toMatchObject({
      code: 'http_502',
      message: '502 Bad Gateway',
    });
  });

  it('rejects responses that do not match the contract', async () => {
    mockApi({ 'GET /api/auth/me': () => ({ user: { id: 1 } }) });
    await expect(apiGet('/api/auth/me', meResponse)).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('reports an unreachable server as network_error', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(apiGet('/api/auth/me', meResponse)).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
    });
  });
});
