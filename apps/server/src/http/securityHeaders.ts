import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { ZodApp } from './types.ts';

/**
 * The headers every answer carries for the browser's sake: helmet's set (CSP, HSTS on https,
 * nosniff, frame and referrer policies…), a Permissions-Policy, and `Cache-Control: no-store` on
 * API answers. helmet's headers are computed once here: the Fastify plugin built its middleware
 * anew on every request (parsing the CSP directives on every `/api/v1` call, docs/PERFORMANCE.md
 * benchmark 8).
 */

/** The console needs no camera, microphone, location, payment or other powerful feature. */
const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), midi=(), display-capture=(), interest-cohort=()';

export function registerSecurityHeaders(app: ZodApp, https: boolean): void {
  const headers = helmetHeaders({
    strictTransportSecurity: https,
    contentSecurityPolicy: {
      directives: {
        // On plain http (local, embedded mode) upgrading requests would break the UI.
        'upgrade-insecure-requests': https ? [] : null,
        // Mantine sets inline styles; no style from any other origin.
        'style-src': ["'self'", "'unsafe-inline'"],
      },
    },
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.headers(headers);
    // API answers hold account and token facts: no cache (browser, proxy) keeps them.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      void reply.header('cache-control', 'no-store');
  });
}

/**
 * The headers helmet sets with these options, read once: they depend on no request (no CSP
 * nonce is used), and setting them from an object costs a fraction of running its middleware.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = { 'permissions-policy': PERMISSIONS_POLICY };
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => {},
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {});
  return headers;
}
