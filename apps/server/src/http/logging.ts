import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { maskUrl } from '../logs/mask.ts';

/**
 * The HTTP logger: request lines with the query string masked (the OAuth callback carries
 * the authorization code), and every header or field that can hold a secret redacted.
 */

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.client_secret',
  '*.clientSecret',
  '*.refresh_token',
  '*.access_token',
  '*.refreshToken',
  '*.accessToken',
  '*.code',
];

export function createHttpLogger(base: Logger): Logger {
  return base.child(
    { component: 'http' },
    {
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: maskUrl(req.url),
          remoteAddress: req.ip,
        }),
      },
    },
  );
}

/** Request ids: a sane incoming `x-request-id` (from a proxy) is kept, anything else replaced. */
export function genRequestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[\w.:-]{1,64}$/.test(incoming) ? incoming : randomUUID();
}
