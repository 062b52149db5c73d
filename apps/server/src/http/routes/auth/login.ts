import { endpoints } from '@ebay-connector/contracts';
import { createSession, findSessionUser } from '../../../auth/sessions.ts';
import { authenticate, normalizeEmail } from '../../../auth/users.ts';
import { setSessionCookie } from '../../auth/sessionCookie.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { UnauthorizedError } from '../../errors.ts';
import { presentMe } from '../../presenters/me.ts';
import type { HttpDeps, ZodApp } from '../../types.ts';

/** 10 attempts a minute per IP and email. */
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
      const { email, password } = request.body;
      const user = await authenticate(deps.ctx.db, email, password);
      if (!user) throw new UnauthorizedError('email or password is wrong', 'invalid_credentials');
      const session = await createSession(deps.ctx.db, user.userId, deps.ctx.now());
      setSessionCookie(reply, session.token, session.expiresAt, deps.secureCookies);
      const me = await findSessionUser(deps.ctx.db, session.token, deps.ctx.now());
      if (!me) throw new UnauthorizedError('the new session could not be read back');
      return presentMe(me);
    },
  });
}
