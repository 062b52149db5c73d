/**
 * eBay's three OAuth-related hosts. Overrides (EBAY_AUTH_BASE_URL and friends) are scheme
 * and host only, so the simulator or a proxy can stand in for eBay while the documented
 * paths stay in one place.
 */

export type EbayEnvironment = 'sandbox' | 'production';

export type EbayEndpoints = {
  authorizeUrl: string;
  tokenUrl: string;
  /** On apiz.ebay.com, not api.ebay.com: the Identity API lives on its own host. */
  identityUserUrl: string;
};

export type EbayEndpointOverrides = {
  authBaseUrl?: string | undefined;
  apiBaseUrl?: string | undefined;
  apizBaseUrl?: string | undefined;
};

const HOSTS: Record<EbayEnvironment, { auth: string; api: string; apiz: string }> = {
  production: {
    auth: 'https://auth.ebay.com',
    api: 'https://api.ebay.com',
    apiz: 'https://apiz.ebay.com',
  },
  sandbox: {
    auth: 'https://auth.sandbox.ebay.com',
    api: 'https://api.sandbox.ebay.com',
    apiz: 'https://apiz.sandbox.ebay.com',
  },
};

export const AUTHORIZE_PATH = '/oauth2/authorize';
export const TOKEN_PATH = '/identity/v1/oauth2/token';
export const IDENTITY_USER_PATH = '/commerce/identity/v1/user/';

function baseUrl(override: string | undefined, fallback: string): string {
  return (override || fallback).replace(/\/+$/, '');
}

/** The API hosts of an environment (scheme and host, no trailing slash): api and apiz. */
export function ebayApiBases(
  environment: EbayEnvironment,
  overrides: EbayEndpointOverrides = {},
): { api: string; apiz: string } {
  const hosts = HOSTS[environment];
  return { api: baseUrl(overrides.apiBaseUrl, hosts.api), apiz: baseUrl(overrides.apizBaseUrl, hosts.apiz) };
}

export function ebayEndpoints(
  environment: EbayEnvironment,
  overrides: EbayEndpointOverrides = {},
): EbayEndpoints {
  const hosts = HOSTS[environment];
  return {
    authorizeUrl: `${baseUrl(overrides.authBaseUrl, hosts.auth)}${AUTHORIZE_PATH}`,
    tokenUrl: `${baseUrl(overrides.apiBaseUrl, hosts.api)}${TOKEN_PATH}`,
    identityUserUrl: `${baseUrl(overrides.apizBaseUrl, hosts.apiz)}${IDENTITY_USER_PATH}`,
  };
}
