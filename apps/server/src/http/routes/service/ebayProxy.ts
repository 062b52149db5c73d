import { EBAY_PROXY_METHODS, EBAY_PROXY_PREFIX, serviceAccountParams } from '@ebay-connector/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  forwardedRequestHeaders,
  isInvalidTokenAnswer,
  PROXY_BODY_LIMIT_BYTES,
  type ProxiedAnswer,
  ProxyTimeoutError,
  proxyTarget,
  readAll,
  returnedResponseHeaders,
  sendProxied,
} from '../../../ebay/apiProxy.ts';
import type { OnDemandCircuit } from '../../../tokens/refresh/onDemandCircuit.ts';
import { serviceAccessToken } from '../../../tokens/refresh/serviceAccessToken.ts';
import { BadRequestError, HttpError } from '../../errors.ts';
import { type HttpDeps, withApiKey, type ZodApp } from '../../types.ts';
import { failureError } from './serviceAccounts.ts';

/**
 * `ANY /api/v1/ebay/proxy/:id/<path>?<query>` (an API key with scope `proxy`): the call goes to
 * eBay's API host of the account's environment with the account's access token, method, query and
 * body unchanged; eBay's answer streams back with its status and headers. When eBay refuses the
 * token (401, errorId 1001: it ended early), the token is refreshed once (single-flight) and the
 * call retried once. Only the configured eBay hosts are ever called (ebay/apiProxy.ts).
 */

/** What follows `/api/v1/ebay/proxy/:id/` in the URL as sent (still percent-encoded). */
function restOfUrl(request: FastifyRequest): string {
  const raw = request.raw.url ?? '';
  const afterPrefix = raw.slice(EBAY_PROXY_PREFIX.length);
  const slash = afterPrefix.indexOf('/');
  return slash === -1 ? '' : afterPrefix.slice(slash + 1);
}

export function registerEbayProxy(app: ZodApp, deps: HttpDeps, circuit: OnDemandCircuit): void {
  const { ctx } = deps;
  app.register(async (scope) => {
    // Bodies pass through as bytes, whatever their type, up to the proxy's own limit.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: PROXY_BODY_LIMIT_BYTES },
      (_r, body, done) => done(null, body),
    );
    scope.route({
      method: [...EBAY_PROXY_METHODS],
      url: `${EBAY_PROXY_PREFIX}:id/*`,
      bodyLimit: PROXY_BODY_LIMIT_BYTES,
      // Not in the contracts' endpoint list (no fixed method or body), so not in the generated document.
      schema: { hide: true, params: serviceAccountParams.extend({ '*': z.string() }) },
      config: { access: 'api_key', apiKeyScope: 'proxy', apiKeyReadsAccount: true },
      // Every answer, eBay's and the connector's refusals alike (GET /metrics).
      onResponse: async (_request, reply) => {
        deps.metrics.proxyCalls.inc({ status: String(reply.statusCode) });
      },
      handler: async (request, reply) => {
        const key = withApiKey(request);
        const accountId = (request.params as { id: string }).id;
        const rest = restOfUrl(request);
        // Checked against the production hosts first: a bad path is a 400 before any token work or eBay call.
        const shape = proxyTarget('production', ctx.ebay.overrides, rest);
        if (!shape.ok) throw new BadRequestError(shape.message, 'invalid_proxy_path');

        const token = async (rejectedExpiresAt?: Date) => {
          const result = await serviceAccessToken(
            ctx,
            {
              orgId: key.orgId,
              accountId,
              minValidSeconds: 60,
              requestedBy: { apiKeyId: key.id, apiKeyName: key.name },
              // The first call's account was read by the auth guard with the key; the retry reads it again.
              ...(rejectedExpiresAt ? { rejectedExpiresAt } : { account: request.apiKeyAccount }),
            },
            circuit,
            (account) => deps.usage.accountUsed(account.ebay_account_id, key.id),
          );
          if (!result.ok) throw failureError(result);
          return result;
        };
        let current = await token();
        const target = proxyTarget(current.environment, ctx.ebay.overrides, rest);
        if (!target.ok) throw new BadRequestError(target.message, 'invalid_proxy_path');
        const body = Buffer.isBuffer(request.body) ? request.body : null;
        const send = async (accessToken: string): Promise<ProxiedAnswer> => {
          try {
            return await sendProxied(target.url, {
              method: request.method,
              headers: forwardedRequestHeaders(request.headers, accessToken, body ? body.length : null),
              body,
              timeoutMs: ctx.ebay.timeoutMs,
            });
          } catch (err) {
            if (err instanceof ProxyTimeoutError) throw new HttpError(504, 'ebay_timeout', err.message);
            const code = (err as NodeJS.ErrnoException).code ?? 'network error';
            throw new HttpError(502, 'ebay_unreachable', `eBay could not be reached (${code})`);
          }
        };

        let upstream = await send(current.accessToken);
        let buffered: Buffer | null = null;
        if (upstream.statusCode === 401) {
          buffered = await readAll(upstream.body);
          if (isInvalidTokenAnswer(401, buffered)) {
            current = await token(current.expiresAt);
            request.log.info(
              { accountId, apiKeyId: key.id, apiKeyName: key.name, refreshed: current.refreshed },
              'eBay refused the access token: refreshed it and retried the call once',
            );
            upstream = await send(current.accessToken);
            buffered = null;
          }
        }
        const headers = returnedResponseHeaders(upstream.headers);
        reply.code(upstream.statusCode);
        if (buffered) {
          delete headers['content-length'];
          return reply.headers(headers).send(buffered);
        }
        return reply.headers(headers).send(upstream.body);
      },
    });
  });
}
