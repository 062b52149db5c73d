import { checkTokenInvariants, type DecryptDiagnosis, type TokenCipher } from '../crypto/tokenCipher.ts';
import type { HttpRequest } from './httpCapture.ts';

/**
 * THE request builder for eBay's token endpoint. Every refresh (worker, debug, manual,
 * on-demand) goes through `buildRefreshRequest`, because the seed incident was a worker
 * path that sent the stored `ENC:` ciphertext to eBay and got `invalid_grant` back.
 * Here the stored value is decrypted exactly once, and a value that is not a sendable
 * eBay token stops with `decrypt_failed` before any HTTP happens.
 */

export type AppCredentials = { tokenUrl: string; clientId: string; clientSecret: string };

export type BuildRefreshInput = AppCredentials & {
  /** The refresh token as stored in ebay_tokens (`ENC:v1:…`). */
  storedRefreshToken: string;
  /** The granted scopes to ask for; the caller checks they are a subset of the grant. */
  scopes: readonly string[];
  cipher: Pick<TokenCipher, 'decryptToken'>;
};

export type BuildRefreshResult =
  | { ok: true; request: HttpRequest }
  | { ok: false; code: 'decrypt_failed'; diagnosis: DecryptDiagnosis; message: string };

export type BuildCodeExchangeInput = AppCredentials & {
  /** The callback's `code`, already URL-decoded once by the caller; never decode it again. */
  code: string;
  /** eBay wants the RuName here, not a URL. */
  ruName: string;
};

export function buildRefreshRequest(input: BuildRefreshInput): BuildRefreshResult {
  const decrypted = input.cipher.decryptToken(input.storedRefreshToken);
  if (!decrypted.ok) {
    return { ok: false, code: 'decrypt_failed', diagnosis: decrypted.diagnosis, message: decrypted.message };
  }
  // The cipher already enforces the invariants; checking again here keeps this builder
  // safe even if it is ever handed a different cipher.
  const sendable = checkTokenInvariants(decrypted.plaintext, decrypted.keyId);
  if (!sendable.ok) {
    return { ok: false, code: 'decrypt_failed', diagnosis: sendable.diagnosis, message: sendable.message };
  }
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: sendable.plaintext,
    scope: input.scopes.join(' '),
  });
  return { ok: true, request: tokenEndpointPost(input, form) };
}

export function buildCodeExchangeRequest(input: BuildCodeExchangeInput): HttpRequest {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.ruName,
  });
  return tokenEndpointPost(input, form);
}

export function basicCredentials(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
}

/** eBay tokens hold `+`, `/` and `=`: the body is always form-encoded, never concatenated. */
function tokenEndpointPost(app: AppCredentials, form: URLSearchParams): HttpRequest {
  return {
    method: 'POST',
    url: app.tokenUrl,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: basicCredentials(app.clientId, app.clientSecret),
    },
    body: form.toString(),
  };
}
