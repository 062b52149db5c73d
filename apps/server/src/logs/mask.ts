/**
 * Masking for everything stored, returned or logged.
 * Tokens keep a short prefix and suffix so `v^` vs `ENC:` stays visible; the client
 * secret never survives, in clear or in base64.
 */

export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'refresh_token',
  'access_token',
  'code',
  'client_secret',
  'password',
  'id_token',
]);
/** eBay tokens and codes, and our ENC: ciphertexts, wherever they appear in free text. */
const TOKEN_PATTERN = /(v\^1\.1#[A-Za-z0-9#^_.+/=%-]{16,}|ENC:v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{16,})/g;
/** The same pattern for a yes/no test (no global state). */
export const TOKEN_SHAPE = new RegExp(TOKEN_PATTERN.source);
const ELLIPSIS = '…';

export function maskToken(value: string): string {
  if (value.length <= 12) return `${value.slice(0, 2)}${ELLIPSIS}`;
  const prefix = value.startsWith('ENC:')
    ? value.slice(0, value.indexOf(':', 7) + 1 || 11)
    : value.slice(0, 8);
  return `${prefix}${ELLIPSIS}${value.slice(-4)}`;
}

/**
 * Whether a value is in the form maskToken leaves (at most a 8-character prefix and a
 * 4-character suffix around the ellipsis): masking it again changes nothing.
 */
export function isMaskedToken(value: string): boolean {
  return value.includes(ELLIPSIS) && maskToken(value) === value;
}

/**
 * A form or query value as maskFormBody leaves it: masked, and not percent-encoded before the
 * ellipsis (`%41%42ab…cdef` would show more of the decoded value than its mask does).
 */
export function isMaskedFormValue(raw: string): boolean {
  return isMaskedToken(raw) && !raw.slice(0, raw.indexOf(ELLIPSIS)).includes('%');
}

export function maskFreeText(text: string): string {
  return text.replace(TOKEN_PATTERN, (m) => maskToken(m));
}

export function maskAuthorization(value: string): string {
  const [scheme, credential = ''] = value.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'basic') {
    if (/^[^\s:]*:\*+$/.test(credential)) return `Basic ${credential}`; // masked already (nothing after it)
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const clientId = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : '';
    return `Basic ${clientId || '?'}:********`;
  }
  if (scheme?.toLowerCase() === 'bearer') return `Bearer ${maskToken(credential)}`;
  return '********';
}

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') out[name] = maskAuthorization(value);
    else if (lower === 'cookie' || lower === 'set-cookie') out[name] = '********';
    else out[name] = maskFreeText(value);
  }
  return out;
}

/** Masks a form-encoded body, keeping the masked values readable (not re-encoded). */
export function maskFormBody(body: string): string {
  return body
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const key = safeDecode(pair.slice(0, eq));
      if (!SECRET_FIELDS.has(key)) return maskFreeText(pair);
      const raw = pair.slice(eq + 1);
      // A value masked by an earlier pass stays as it is (its readable `+` is no space).
      if (isMaskedFormValue(raw)) return pair;
      return `${pair.slice(0, eq)}=${maskToken(safeDecode(raw))}`;
    })
    .join('&');
}

export function maskJson(value: unknown): unknown {
  if (typeof value === 'string') return maskFreeText(value);
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELDS.has(k) && typeof v === 'string' ? maskToken(v) : maskJson(v);
    }
    return out;
  }
  return value;
}

/** Masks a body of any kind: JSON, form or free text. */
export function maskBody(body: string, contentType = ''): string {
  const trimmed = body.trimStart();
  if (contentType.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(maskJson(JSON.parse(body)), null, 2);
    } catch {
      return maskFreeText(body);
    }
  }
  if (contentType.includes('x-www-form-urlencoded') || /^[\w.%-]+=[^\s]*(&[\w.%-]+=[^\s]*)*$/.test(body)) {
    return maskFormBody(body);
  }
  return maskFreeText(body);
}

export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q + 1)}${maskFormBody(url.slice(q + 1))}`;
}

let scrubForms: { secret: string; forms: string[] } | null = null;

/**
 * The forms of a secret that scrubSecret removes: clear, base64 and URL-encoded; none for a
 * missing or too short secret. Computed once per secret (it is the same on every call).
 */
export function secretForms(secret: string | undefined): readonly string[] {
  if (!secret || secret.length < 4) return [];
  if (scrubForms?.secret !== secret) {
    scrubForms = {
      secret,
      forms: [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)],
    };
  }
  return scrubForms.forms;
}

/** Removes a known secret (and its base64 forms) from any text; the last line of defence. */
export function scrubSecret(text: string, secret: string | undefined): string {
  // Called for every header and body of every log entry shown (200 entries a terminal page):
  // text without the secret is not copied.
  let out = text;
  for (const form of secretForms(secret)) if (out.includes(form)) out = out.split(form).join('********');
  return out;
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

type MaskableRequest = { method: string; url: string; headers: Record<string, string>; body: string };
type MaskableResponse = { headers: Record<string, string>; body: string };
export type MaskableExchange = { request: MaskableRequest | null; response: MaskableResponse | null };

/** Masks a captured HTTP exchange before it is stored, returned or logged. */
export function maskExchange<T extends MaskableExchange>(
  exchange: T,
  opts: { clientSecret?: string } = {},
): T {
  const scrub = (s: string) => scrubSecret(s, opts.clientSecret);
  const scrubHeaders = (h: Record<string, string>) =>
    Object.fromEntries(Object.entries(maskHeaders(h)).map(([k, v]) => [k, scrub(v)]));
  const contentType = (h: Record<string, string>) =>
    Object.entries(h).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const { request, response } = exchange;
  return {
    ...exchange,
    request: request && {
      ...request,
      url: scrub(maskUrl(request.url)),
      headers: scrubHeaders(request.headers),
      body: scrub(maskBody(request.body, contentType(request.headers))),
    },
    response: response && {
      ...response,
      headers: scrubHeaders(response.headers),
      body: scrub(maskBody(response.body, contentType(response.headers))),
    },
  };
}
