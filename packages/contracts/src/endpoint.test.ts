import { pathOf } from './endpoint.ts';
import { endpoints } from './endpoints.ts';

describe('pathOf', () => {
  it('fills each path parameter, percent-encoded', () => {
    expect(pathOf(endpoints.manualRefresh, { id: '11111111-1111-4111-8111-111111111111' })).toBe(
      '/api/admin/ebay/accounts/11111111-1111-4111-8111-111111111111/refresh',
    );
    expect(pathOf({ path: '/a/:id/b' }, { id: 'x/../y?z' })).toBe('/a/x%2F..%2Fy%3Fz/b');
    expect(pathOf(endpoints.tokenStatus)).toBe('/api/admin/ebay/tokens/status');
  });

  it('throws when a parameter the path names is missing', () => {
    expect(() => pathOf(endpoints.refreshLog, {})).toThrow(':id');
  });
});

describe('the endpoint table', () => {
  it('declares each method and path once', () => {
    const routes = Object.values(endpoints).map((e) => `${e.method} ${e.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('names a path parameter schema for every endpoint with a :parameter, and only those', () => {
    for (const e of Object.values(endpoints)) {
      expect('params' in e, e.path).toBe(e.path.includes('/:'));
    }
  });
});
