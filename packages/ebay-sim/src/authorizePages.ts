import { escapeHtml } from './httpUtil.ts';
import type { Seller } from './store.ts';

/**
 * Plain HTML for the consent flow: no scripts, stable ids (`select#seller`,
 * `input#new_username`, `button#agree`, `button#decline`) so browser tests can drive it.
 */

export type AuthorizeParams = {
  client_id: string;
  redirect_uri: string;
  response_type: string;
  scope: string;
  state: string;
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:1rem 0 .25rem}button{margin:1rem .5rem 0 0;padding:.5rem 1.5rem}
.error{color:#b00020}code{word-break:break-all}</style></head>
<body><p><strong>eBay simulator</strong></p>${body}</body></html>`;
}

/**
 * The consent page; `problem` re-shows it after an Agree that chose no seller, with the message
 * at the top and the request intact, so the seller can choose one or decline (the way back).
 */
export function renderConsentPage(
  params: AuthorizeParams,
  sellers: readonly Seller[],
  problem: string | null = null,
): string {
  const hidden = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('\n');
  const options = sellers
    .map((s) => `<option value="${escapeHtml(s.userId)}">${escapeHtml(s.username)}</option>`)
    .join('\n');
  const scopes = params.scope
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => `<li><code>${escapeHtml(s)}</code></li>`)
    .join('');
  return page(
    'Grant application access',
    `<h1>Grant application access</h1>
${problem ? `<p class="error" id="consent-error" role="alert">${escapeHtml(problem)}</p>` : ''}
<p>The application <code>${escapeHtml(params.client_id)}</code> asks to access your eBay account:</p>
<ul>${scopes}</ul>
<form method="post" action="/oauth2/authorize/consent" id="consent">
${hidden}
<label for="seller">Sign in as an existing seller</label>
<select id="seller" name="seller"><option value="">(new seller below)</option>
${options}
</select>
<label for="new_username">or name a new seller (username)</label>
<input id="new_username" name="new_username" type="text" autocomplete="off">
<div><button id="agree" name="action" value="agree" type="submit">Agree</button>
<button id="decline" name="action" value="decline" type="submit">Decline</button></div>
</form>`,
  );
}

export function renderErrorPage(message: string): string {
  return page(
    'Error',
    `<h1>We're sorry</h1><p class="error" id="error">${escapeHtml(message)}</p>
<p>The application's authorization request is invalid.</p>`,
  );
}

/** Where consent lands when the app has not set its accept/decline URLs. */
export function renderConsentResultPage(query: URLSearchParams): string {
  const rows = [...query.entries()]
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd><code id="${escapeHtml(k)}">${escapeHtml(v)}</code></dd>`)
    .join('\n');
  return page('Consent result', `<h1>Consent result</h1><dl>${rows}</dl>`);
}
