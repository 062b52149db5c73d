import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseScopes, type SimContext } from './context.ts';
import { headerValue, readBody, sendJson, sendOAuthError, sleep } from './httpUtil.ts';
import type { Grant } from './store.ts';
import { applyTokenFault } from './tokenFaults.ts';

/** `POST /identity/v1/oauth2/token`: eBay's code exchange and refresh, with its errors. */

const INVALID_CODE = 'the provided authorization grant code is invalid or was issued to another client';
const INVALID_REFRESH = 'the provided authorization refresh token is invalid or was issued to another client';

export type GrantResponse = {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  token_type: 'User Access Token';
};

/** The code-exchange body; also what `control.issueGrant` returns (plus the seller). */
export function grantResponse(ctx: SimContext, grant: Grant, accessTtlSeconds: number): GrantResponse {
  return {
    access_token: ctx.store.issueAccessToken(grant, grant.scopes, accessTtlSeconds),
    expires_in: accessTtlSeconds,
    refresh_token: grant.refreshToken,
    refresh_token_expires_in: Math.max(0, Math.round((grant.refreshExpiresAt - ctx.now()) / 1000)),
    token_type: 'User Access Token',
  };
}

export async function handleToken(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const grantType = form.get('grant_type');
  ctx.counters.countTokenCall(grantType);
  const refreshToken = form.get('refresh_token');
  if (grantType === 'refresh_token' && refreshToken !== null) {
    // In flight until the response ends or the client hangs up, so overlap is measurable.
    res.once('close', ctx.counters.beginRefresh(refreshToken));
  }
  if (ctx.settings.latencyMs > 0) await sleep(ctx.settings.latencyMs);

  const fault = ctx.faults.pick();
  if (fault) return applyTokenFault(fault, req, res, ctx.faults.retryAfterSeconds);

  const contentType = headerValue(req, 'content-type').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') {
    return sendOAuthError(res, 400, 'invalid_request', 'request has an invalid or missing Content-Type');
  }
  if (!hasValidClientCredentials(ctx, headerValue(req, 'authorization'))) {
    return sendOAuthError(res, 401, 'invalid_client', 'client authentication failed');
  }
  if (!grantType) {
    return sendOAuthError(res, 400, 'invalid_request', 'request is missing a required parameter: grant_type');
  }
  if (grantType === 'authorization_code') return exchangeCode(ctx, form, res);
  if (grantType === 'refresh_token') return refreshAccessToken(ctx, form, res);
  if (grantType === 'client_credentials') return clientCredentials(ctx, form, res);
  sendOAuthError(
    res,
    400,
    'unsupported_grant_type',
    'grant type in request is not supported by the authorization server',
  );
}

function hasValidClientCredentials(ctx: SimContext, authorization: string): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(authorization);
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded === `${ctx.config.clientId}:${ctx.config.clientSecret}`;
}

function exchangeCode(ctx: SimContext, form: URLSearchParams, res: ServerResponse) {
  const code = form.get('code');
  const redirectUri = form.get('redirect_uri');
  if (!code || !redirectUri) {
    return sendOAuthError(
      res,
      400,
      'invalid_request',
      'request is missing a required parameter: code, redirect_uri',
    );
  }
  // Codes are bound to the RuName; a mismatch must not burn the code.
  if (redirectUri !== ctx.config.ruName) return sendOAuthError(res, 400, 'invalid_grant', INVALID_CODE);
  const redemption = ctx.store.redeemCode(code);
  if (!redemption.ok) return sendOAuthError(res, 400, 'invalid_grant', INVALID_CODE);
  const grant = ctx.store.createGrant(
    redemption.userId,
    redemption.scopes,
    ctx.config.refreshTokenTtlSeconds,
  );
  sendJson(res, 200, grantResponse(ctx, grant, ctx.config.accessTokenTtlSeconds));
}

/** The public-data scope every application may ask for; eBay grants nothing else here. */
export const APP_SCOPE = 'https://api.ebay.com/oauth/api_scope';

function clientCredentials(ctx: SimContext, form: URLSearchParams, res: ServerResponse) {
  const requested = parseScopes(form.get('scope') ?? APP_SCOPE);
  if (!requested || requested.length === 0 || !requested.every((s) => s === APP_SCOPE)) {
    return sendOAuthError(
      res,
      400,
      'invalid_scope',
      'the requested scope is invalid, unknown, malformed, or exceeds the scope granted to the resource owner',
    );
  }
  const ttl = ctx.config.accessTokenTtlSeconds;
  sendJson(res, 200, {
    access_token: ctx.store.issueAppToken(requested, ttl),
    expires_in: ttl,
    token_type: 'Application Access Token',
  });
}

function refreshAccessToken(ctx: SimContext, form: URLSearchParams, res: ServerResponse) {
  const refreshToken = form.get('refresh_token');
  const scope = form.get('scope');
  if (!refreshToken || !scope) {
    return sendOAuthError(
      res,
      400,
      'invalid_request',
      'request is missing a required parameter: refresh_token, scope',
    );
  }
  const grant = ctx.store.usableGrant(refreshToken);
  if (!grant) return sendOAuthError(res, 400, 'invalid_grant', INVALID_REFRESH);
  const requested = parseScopes(scope);
  if (!requested?.every((s) => grant.scopes.includes(s))) {
    return sendOAuthError(
      res,
      400,
      'invalid_scope',
      'the requested scope is invalid, unknown, malformed, or exceeds the scope granted to the resource owner',
    );
  }
  const ttl = ctx.config.accessTokenTtlSeconds;
  sendJson(res, 200, {
    access_token: ctx.store.issueAccessToken(grant, requested, ttl),
    expires_in: ttl,
    token_type: 'User Access Token',
  });
}
