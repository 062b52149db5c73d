import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAuthorize, handleConsent } from './authorizeRoutes.ts';
import { createSimContext, type EbaySimOptions, type SimContext } from './context.ts';
import { createSimControl, type SimControl } from './control.ts';
import { handleControl } from './controlRoutes.ts';
import { BodyTooLargeError, sendJson } from './httpUtil.ts';
import { handleIdentityUser } from './identityRoute.ts';
import { handlePublicKey } from './notifications.ts';
import { FULFILLMENT_PATH, handleGetInventoryItems, handleGetOrders, INVENTORY_PATH } from './sellRoutes.ts';
import { newCorrelationHeaders } from './tokenMaterial.ts';
import { handleToken } from './tokenRoute.ts';

/**
 * One node:http server plays eBay's three hosts (auth, api, apiz): their paths do not
 * overlap, so the app points all three base URLs at this one port.
 */

export type EbaySim = {
  /** `http://127.0.0.1:PORT`, usable as auth, api and apiz base URL alike. */
  url: string;
  clientId: string;
  clientSecret: string;
  ruName: string;
  /** Sent as `X-Sim-Control-Secret` by processes that drive `/__sim/*` over HTTP. */
  controlSecret: string;
  control: SimControl;
  close(): Promise<void>;
};

async function route(
  ctx: SimContext,
  control: SimControl,
  controlSecret: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/__sim/config') {
    // Everything another process needs to act as the app, except the secret.
    const { clientId, ruName } = ctx.config;
    return sendJson(res, 200, { clientId, ruName, ...ctx.settings });
  }
  if (path.startsWith('/__sim/')) return handleControl(control, controlSecret, req, res, url);
  if (method === 'GET' && path === '/oauth2/authorize') return handleAuthorize(ctx, res, url.searchParams);
  if (method === 'POST' && path === '/oauth2/authorize/consent') return handleConsent(ctx, req, res);
  if (method === 'POST' && path === '/identity/v1/oauth2/token') return handleToken(ctx, req, res);
  const publicKey = /^\/commerce\/notification\/v1\/public_key\/([^/]{1,200})$/.exec(path);
  if (method === 'GET' && publicKey?.[1])
    return handlePublicKey(ctx, req, res, decodeURIComponent(publicKey[1]));
  if (method === 'GET' && (path === '/commerce/identity/v1/user/' || path === '/commerce/identity/v1/user')) {
    return handleIdentityUser(ctx, req, res);
  }
  if (method === 'GET' && path === FULFILLMENT_PATH) return handleGetOrders(ctx, req, res, url);
  if (method === 'GET' && path === INVENTORY_PATH) return handleGetInventoryItems(ctx, req, res, url);
  sendJson(res, 404, {
    errors: [
      { errorId: 2002, domain: 'ACCESS', category: 'REQUEST', message: `Resource not found: ${path}` },
    ],
  });
}

function answerUnexpected(res: ServerResponse, err: unknown) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof BodyTooLargeError) {
    return sendJson(res, 413, { error: 'invalid_request', error_description: err.message });
  }
  sendJson(res, 500, { error: 'server_error', error_description: `simulator bug: ${String(err)}` });
}

export async function startEbaySim(opts: EbaySimOptions = {}): Promise<EbaySim> {
  const host = opts.host ?? '127.0.0.1';
  const ctx = createSimContext(opts);
  const control = createSimControl(ctx);
  const controlSecret = opts.controlSecret ?? randomBytes(24).toString('base64url');
  const server = createServer((req, res) => {
    // eBay's correlation headers on every response: support asks for them.
    for (const [name, value] of Object.entries(newCorrelationHeaders())) res.setHeader(name, value);
    route(ctx, control, controlSecret, req, res).catch((err: unknown) => answerUnexpected(res, err));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    clientId: ctx.config.clientId,
    clientSecret: ctx.config.clientSecret,
    ruName: ctx.config.ruName,
    controlSecret,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Held ("timeout" fault) and keep-alive sockets would otherwise block close.
        server.closeAllConnections();
      }),
  };
}
