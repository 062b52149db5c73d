import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AuthorizeParams, renderConsentPage, renderErrorPage } from './authorizePages.ts';
import { parseScopes, type SimContext } from './context.ts';
import { readBody, redirect, sendHtml, withQuery } from './httpUtil.ts';

/**
 * `GET /oauth2/authorize` and the consent form it posts to. Like eBay, redirect_uri is
 * the RuName (not a URL); the RuName maps to the app's accept and decline URLs.
 */

const CONSENT_RESULT_PATH = '/__sim/consent-result';

type Validated = { ok: true; params: AuthorizeParams; scopes: string[] } | { ok: false; message: string };

function validateAuthorizeParams(ctx: SimContext, query: URLSearchParams): Validated {
  const params: AuthorizeParams = {
    client_id: query.get('client_id') ?? '',
    redirect_uri: query.get('redirect_uri') ?? '',
    response_type: query.get('response_type') ?? '',
    scope: query.get('scope') ?? '',
    state: query.get('state') ?? '',
  };
  if (params.client_id !== ctx.config.clientId) {
    return { ok: false, message: 'invalid_client: the client_id is unknown' };
  }
  if (params.redirect_uri !== ctx.config.ruName) {
    return { ok: false, message: 'invalid_request: redirect_uri must be the application RuName' };
  }
  if (params.response_type !== 'code') {
    return { ok: false, message: 'unsupported_response_type: response_type must be "code"' };
  }
  const scopes = parseScopes(params.scope);
  if (!scopes) return { ok: false, message: 'invalid_scope: the requested scope is invalid or unknown' };
  return { ok: true, params, scopes };
}

export function handleAuthorize(ctx: SimContext, res: ServerResponse, query: URLSearchParams) {
  const validated = validateAuthorizeParams(ctx, query);
  if (!validated.ok) return sendHtml(res, 400, renderErrorPage(validated.message));
  sendHtml(res, 200, renderConsentPage(validated.params, ctx.store.sellers()));
}

export async function handleConsent(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const validated = validateAuthorizeParams(ctx, form);
  if (!validated.ok) return sendHtml(res, 400, renderErrorPage(validated.message));
  const statePart = validated.params.state ? `state=${encodeURIComponent(validated.params.state)}&` : '';

  if (form.get('action') !== 'agree') {
    const declineUrl = ctx.settings.declineUrl || ctx.settings.acceptUrl || CONSENT_RESULT_PATH;
    const description = encodeURIComponent('The user declined to grant access');
    return redirect(
      res,
      withQuery(declineUrl, `${statePart}error=access_denied&error_description=${description}`),
    );
  }

  const newUsername = (form.get('new_username') ?? '').trim();
  const existing = ctx.store.findSeller(form.get('seller') ?? '');
  const seller = newUsername ? ctx.store.findOrCreateSeller(newUsername) : existing;
  if (!seller) {
    // Not eBay's "request is invalid" page: the request is fine, a choice is missing. The same
    // page again, saying what to do; Decline still goes back to the application.
    const message =
      'Choose an existing seller or type a new seller’s username, then Agree again — or Decline to go back to the application.';
    return sendHtml(res, 400, renderConsentPage(validated.params, ctx.store.sellers(), message));
  }
  const code = ctx.store.issueCode(seller.userId, validated.scopes);
  const acceptUrl = ctx.settings.acceptUrl || CONSENT_RESULT_PATH;
  redirect(res, withQuery(acceptUrl, `${statePart}code=${encodeURIComponent(code)}&expires_in=299`));
}
