import { classifyTokenResponse, type TokenOutcome } from './classify.ts';
import {
  type CapturedExchange,
  type CaptureOptions,
  captureExchange,
  type HttpRequest,
} from './httpCapture.ts';

/**
 * The two halves of eBay's authorization-code flow that the app drives: sending the
 * seller to consent, and calling the token endpoint (code exchange or refresh). Request
 * bodies come from refreshRequest.ts; this file only sends and classifies.
 */

export type { EbayErrorCode, TokenFailure, TokenOutcome, TokenSuccess } from './classify.ts';

export type AuthorizeUrlInput = {
  authorizeUrl: string;
  clientId: string;
  ruName: string;
  scopes: readonly string[];
  state: string;
  /** `login` forces the eBay sign-in form, so an admin can connect a different seller. */
  prompt?: 'login' | undefined;
};

export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  const params: Array<[string, string]> = [
    ['client_id', input.clientId],
    ['redirect_uri', input.ruName],
    ['response_type', 'code'],
    ['scope', input.scopes.join(' ')],
    ['state', input.state],
  ];
  if (input.prompt) params.push(['prompt', input.prompt]);
  // encodeURIComponent (spaces as %20, as eBay's own examples) rather than
  // URLSearchParams' `+`, which some proxies mangle.
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${input.authorizeUrl}?${query}`;
}

export type TokenCallResult = { exchange: CapturedExchange; outcome: TokenOutcome };

/** Sends one token-endpoint request; never throws for eBay or network failures. */
export async function sendTokenRequest(request: HttpRequest, opts: CaptureOptions): Promise<TokenCallResult> {
  const exchange = await captureExchange(request, opts);
  return { exchange, outcome: classifyTokenResponse(exchange) };
}
