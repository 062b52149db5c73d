import { ebayEndpoints } from './endpoints.ts';

describe('ebayEndpoints', () => {
  it('uses auth, api and apiz hosts in production', () => {
    expect(ebayEndpoints('production')).toEqual({
      authorizeUrl: 'https://auth.ebay.com/oauth2/authorize',
      tokenUrl: 'https://api.ebay.com/identity/v1/oauth2/token',
      identityUserUrl: 'https://apiz.ebay.com/commerce/identity/v1/user/',
    });
  });

  it('uses the sandbox hosts in sandbox', () => {
    expect(ebayEndpoints('sandbox')).toEqual({
      authorizeUrl: 'https://auth.sandbox.ebay.com/oauth2/authorize',
      tokenUrl: 'https://api.sandbox.ebay.com/identity/v1/oauth2/token',
      identityUserUrl: 'https://apiz.sandbox.ebay.com/commerce/identity/v1/user/',
    });
  });

  it('appends the documented paths to overrides, tolerating a trailing slash', () => {
    const sim = 'http://127.0.0.1:4001';
    const endpoints = ebayEndpoints('production', {
      authBaseUrl: `${sim}/`,
      apiBaseUrl: sim,
      apizBaseUrl: undefined,
    });
    expect(endpoints).toEqual({
      authorizeUrl: `${sim}/oauth2/authorize`,
      tokenUrl: `${sim}/identity/v1/oauth2/token`,
      identityUserUrl: 'https://apiz.ebay.com/commerce/identity/v1/user/',
    });
  });
});
