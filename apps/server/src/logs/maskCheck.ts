import {
  isMaskedFormValue,
  isMaskedToken,
  type MaskableExchange,
  SECRET_FIELDS,
  secretForms,
  TOKEN_SHAPE,
} from './mask.ts';

/**
 * Whether a stored transcript is already masked, so that masking it again (`maskExchange`)
 * would change nothing that matters. The terminal shows 200 stored transcripts a page and
 * re-masks each as the last line of defence; walking every header and body through the full
 * masking was a quarter of the endpoint's CPU, although the transcripts were masked when
 * written. This test is the cheap part of that walk: a few regular-expression scans per
 * transcript, no decoding, no copies. It is conservative: anything it cannot vouch for
 * (a token-shaped string, the client secret in any of its forms, a secret field whose value
 * is not in masked form, an unmasked Authorization or cookie header, a JSON escape that could
 * hide any of these) sends the transcript through the full masking, as before.
 * Only formatting may differ from the full walk (it re-indents JSON bodies).
 */

/** An Authorization value as maskAuthorization leaves it (masking it again keeps it). */
export const MASKED_AUTHORIZATION = /^(Basic [^\s:]*:\*+|Bearer \S*…\S*|\*+)$/;
const MASKED_COOKIE = '********';

const NAMES = [...SECRET_FIELDS].join('|');
/** `name=value` of a secret field in a URL query or a form body (value up to the next `&`). */
const FORM_SECRET = new RegExp(`(?:^|[?&])(?:${NAMES})=([^&]*)`, 'g');
/** A form key with a percent escape: it could decode to a secret field's name. */
const ENCODED_FORM_KEY = /(?:^|[?&])[^=&?%]*%[^=&?]*=/;
/** `"name": "value"` of a secret field in a JSON body (no escapes: see the backslash rule). */
const JSON_SECRET = new RegExp(`"(?:${NAMES})"\\s*:\\s*"([^"]*)"`, 'g');

export function isMaskedExchange(exchange: MaskableExchange, clientSecret?: string): boolean {
  const { request, response } = exchange;
  let text = '';
  if (request) {
    if (!headersMasked(request.headers, true)) return false;
    if (!formSecretsMasked(request.url) || !bodySecretsMasked(request.body)) return false;
    text = `${request.url}\n${request.body}\n${headerValues(request.headers)}`;
  }
  if (response) {
    if (!headersMasked(response.headers, false) || !bodySecretsMasked(response.body)) return false;
    text = `${text}\n${response.body}\n${headerValues(response.headers)}`;
  }
  // A JSON escape (`\u0076^1.1#…`, `"acc\u0065ss_token"`) could hide a token or a secret field
  // from the scans; the full walk decodes it. Transcripts with a backslash take that path.
  if (text.includes('\\') || TOKEN_SHAPE.test(text)) return false;
  for (const form of secretForms(clientSecret)) if (text.includes(form)) return false;
  return true;
}

/**
 * Authorization and cookies as the full masking leaves them. An Authorization header in a
 * response is not expected: the full walk masks it like any other.
 */
function headersMasked(headers: Record<string, string>, isRequest: boolean): boolean {
  for (const name in headers) {
    const value = headers[name]!;
    const n = name.length;
    if (n !== 6 && n !== 10 && n !== 13) continue; // cookie, set-cookie, authorization
    const lower = name.toLowerCase();
    if (lower === 'authorization' && (!isRequest || !MASKED_AUTHORIZATION.test(value))) return false;
    if ((lower === 'cookie' || lower === 'set-cookie') && value !== MASKED_COOKIE) return false;
  }
  return true;
}

function headerValues(headers: Record<string, string>): string {
  let out = '';
  for (const name in headers) out = `${out}${headers[name]}\n`;
  return out;
}

/** Form pairs of secret fields hold masked values (masking them again keeps them as they are). */
function formSecretsMasked(text: string): boolean {
  if (text.includes('%') && ENCODED_FORM_KEY.test(text)) return false;
  FORM_SECRET.lastIndex = 0;
  for (let m = FORM_SECRET.exec(text); m; m = FORM_SECRET.exec(text)) {
    if (!isMaskedFormValue(m[1]!)) return false;
  }
  return true;
}

/** A body may be a form or JSON (or neither): secret fields of both kinds hold masked values. */
function bodySecretsMasked(body: string): boolean {
  if (!formSecretsMasked(body)) return false;
  JSON_SECRET.lastIndex = 0;
  for (let m = JSON_SECRET.exec(body); m; m = JSON_SECRET.exec(body)) {
    if (!isMaskedToken(m[1]!)) return false;
  }
  return true;
}
