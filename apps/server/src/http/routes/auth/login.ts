import { endpoints } from '@ebay-connector/contracts';
import { signIn } from '../../../auth/signIn.ts';
import { normalizeEmail } from '../../../auth/users.ts';
import { setSessionCookie } from '../../auth/sessionCookie.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { UnauthorizedError } from '../../errors.ts';
import { checkLoginLimits, recordLoginFailure } from '../../loginLimits.ts';
import { presentMe } from '../../presenters/me.ts';
import type { HttpDeps, ZodApp } from '../../types.ts';

/** 10 attempts a minute per IP and email; the per-IP and per-account limits are loginLimits.ts. */
export function registerLogin(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.login, {
      rateLimit: {
        max: 10,
        timeWindow: 60_000,
        hook: 'preHandler',
        keyGenerator: (request) => {
          const email = (request.body as { email?: string } | undefined)?.email ?? '';
          return `login:${request.ip}:${normalizeEmail(email)}`;
        },
      },
    }),
    handler: async (request, reply) => {
      const email = normalizeEmail(request.body.email);
      await checkLoginLimits(deps.ctx.db, request.ip, email);
      const outcome = await signIn(deps.ctx.db, request.body.email, request.body.password, deps.ctx.now());
      if (!outcome.ok) {
        if (outcome.code === 'invalid_credentials') await recordLoginFailure(deps.ctx.db, request.ip, email);
        // Both are a 401: a session that cannot be read back is no session.
        throw new UnauthorizedError(
          outcome.message,
          outcome.code === 'invalid_credentials' ? outcome.code : 'unauthorized',
        );
      }
      setSessionCookie(reply, outcome.token, outcome.session.expiresAt, deps.secureCookies);
      return presentMe(outcome.session);
    },
  });
}
