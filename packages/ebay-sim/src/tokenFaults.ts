import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FailKind } from './faults.ts';
import { sendHtml, sendJson, sendOAuthError } from './httpUtil.ts';

/** How each injected fault looks on the wire, as close to eBay's real failures as we know. */

/** A held request is destroyed after this long even if the client never gives up. */
const HOLD_LIMIT_MS = 120_000;

const BAD_GATEWAY_HTML = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>`;

export function applyTokenFault(
  kind: FailKind,
  req: IncomingMessage,
  res: ServerResponse,
  retryAfterSeconds: number,
) {
  switch (kind) {
    case '5xx':
      return sendJson(res, 503, {
        error: 'temporarily_unavailable',
        error_description: 'The authorization server is temporarily unable to handle the request',
      });
    case '429':
      return sendJson(
        res,
        429,
        {
          errors: [
            {
              errorId: 2001,
              domain: 'ACCESS',
              category: 'REQUEST',
              message: 'Too many requests. The request limit has been reached for the resource.',
            },
          ],
        },
        { 'retry-after': String(retryAfterSeconds) },
      );
    case 'html5xx':
      return sendHtml(res, 502, BAD_GATEWAY_HTML);
    case 'reset':
      req.socket.destroy();
      return;
    case 'timeout': {
      // Say nothing; the client's own timeout has to fire. Clean up if it never does.
      const timer = setTimeout(() => req.socket.destroy(), HOLD_LIMIT_MS);
      timer.unref();
      res.once('close', () => clearTimeout(timer));
      return;
    }
    case 'invalid_grant':
      return sendOAuthError(
        res,
        400,
        'invalid_grant',
        'the provided authorization refresh token is invalid or was issued to another client',
      );
    case 'invalid_client':
      return sendOAuthError(res, 401, 'invalid_client', 'client authentication failed');
  }
}
