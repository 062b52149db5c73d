import { endpoints } from '@ebay-connector/contracts';
import type { FastifyRequest } from 'fastify';
import { findSessionUser } from '../../auth/sessions.ts';
import { ForbiddenError, HttpError, UnauthorizedError } from '../errors.ts';
import type { HttpDeps, ZodApp } from '../types.ts';
import { authenticateApiKey, bearerOf, enforcePerKeyLimit } from './apiKeyAuth.ts';
import { sessionCookieName } from './sessionCookie.ts';

/**
 * The auth guard, before the body is read: resolves the session cookie, enforces the
 * route's declared access, and applies the CSRF rule of docs/API.md: a cookie-authenticated
 * state-changing request must come from PUBLIC_URL's origin (Origin, else Referer) and
 * carry a JSON body. No token dance: `curl` with the cookie and an Origin header works.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a session signed in with a one-time password may do until it has chosen a new one. */
const DURING_PASSWORD_CHANGE = new Set<string>([
  endpoints.me.path,
  endpoints.logout.path,
  endpoints.changePassword.path,
]);

function requestOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin;
  const referer = request.headers.referer;
  if (typeof referer !== 'string' || referer === '') return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid';
  }
}

export function checkCsrf(request: FastifyRequest, publicOrigin: string, cookieAuthenticated: boolean): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = requestOrigin(request);
  if (origin !== undefined && origin !== publicOrigin) {
    throw new ForbiddenError(
      `requests must come from ${publicOrigin} (got Origin ${origin})`,
      'csrf_origin_mismatch',
    );
  }
  if (!cookieAuthenticated) return;
  if (origin === undefined) {
    throw new ForbiddenError(
      `state-changing requests need an Origin or Referer header of ${publicOrigin}`,
      'csrf_origin_missing',
    );
  }
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'state-changing requests need Content-Type: application/json',
    );
  }
}

export function registerAuthGuard(app: ZodApp, deps: HttpDeps): void {
  const publicOrigin = deps.publicUrl.origin;
  const cookieName = sessionCookieName(deps.secureCookies);
  app.decorateRequest('auth', null);
  app.decorateRequest('apiKey', null);
  app.decorateRequest('apiKeyAccount', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.access ?? 'public';
    if (access === 'api_key') {
      // Bearer only: the session cookie is not read, and CSRF (a cookie attack) does not apply.
      const config = request.routeOptions.config;
      const accountId = config.apiKeyReadsAccount ? (request.params as { id?: string }).id : undefined;
      const limit = {
        max: deps.ctx.env.API_KEY_RATE_LIMIT_PER_MINUTE,
        windowMs: 60_000,
        counter: deps.keyHits,
      };
      const found = await authenticateApiKey(deps.ctx.db, request, config.apiKeyScope, limit, accountId);
      enforcePerKeyLimit(reply, found, limit);
      request.apiKey = found.key;
      request.apiKeyAccount = found.account;
      deps.usage.keyUsed(found.key.id);
      return;
    }
    if (access === 'public') {
      checkCsrf(request, publicOrigin, false);
      return;
    }
    const token = request.cookies[cookieName];
    request.auth = token ? await findSessionUser(deps.ctx.db, token, deps.ctx.now()) : null;
    if (access === 'session_optional') return;
    if (!request.auth) {
      if (bearerOf(request)?.startsWith('ebc_')) {
        throw new UnauthorizedError(
          'API keys authenticate the service API (/api/v1) only; sign in for this endpoint',
          'api_key_not_accepted',
        );
      }
      throw new UnauthorizedError('sign in first (no valid session)');
    }
    if (request.auth.passwordChangeRequired && !DURING_PASSWORD_CHANGE.has(request.routeOptions.url ?? '')) {
      throw new ForbiddenError(
        'choose a new password first (POST /api/auth/password)',
        'password_change_required',
      );
    }
    if (access === 'admin' && request.auth.user.role !== 'admin') {
      throw new ForbiddenError('only admins may do this; your role is viewer');
    }
    checkCsrf(request, publicOrigin, true);
  });
}
