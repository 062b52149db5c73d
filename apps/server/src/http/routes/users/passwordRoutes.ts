import { endpoints } from '@ebay-connector/contracts';
import { changeOwnPassword } from '../../../auth/passwordChange.ts';
import { readPasswordLink, usePasswordLink } from '../../../auth/passwordLinks.ts';
import { setSessionCookie } from '../../auth/sessionCookie.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { BadRequestError } from '../../errors.ts';
import { presentMe } from '../../presenters/me.ts';
import { linkProblemError } from '../../presenters/userCredential.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

/** 10 tries a minute per client address: a link's token is 256 bits, but guessing costs nothing. */
const perClientLimit = (name: string) => ({
  max: 10,
  timeWindow: 60_000,
  hook: 'preHandler' as const,
  keyGenerator: (request: { ip: string }) => `${name}:${request.ip}`,
});

/** Invite and reset links (public: the link is the credential), and changing your own password. */
export function registerPasswordRoutes(app: ZodApp, deps: HttpDeps): void {
  const { db } = deps.ctx;
  app.route({
    ...endpointRoute(endpoints.passwordLinkInfo, { rateLimit: perClientLimit('password-link') }),
    handler: async (request) => {
      const link = await readPasswordLink(db, request.body.token, deps.ctx.now());
      if (!link.ok) throw linkProblemError(link);
      return {
        email: link.email,
        org_name: link.orgName,
        purpose: link.purpose,
        expires_at: link.expiresAt.toISOString(),
      };
    },
  });
  app.route({
    ...endpointRoute(endpoints.usePasswordLink, { rateLimit: perClientLimit('password-link') }),
    handler: async (request, reply) => {
      const used = await usePasswordLink(db, { ...request.body, now: deps.ctx.now() });
      if (!used.ok) {
        if (used.code === 'common_password') throw new BadRequestError(used.message, used.code);
        throw linkProblemError(used);
      }
      setSessionCookie(reply, used.token, used.session.expiresAt, deps.secureCookies);
      return presentMe(used.session);
    },
  });
  app.route({
    ...endpointRoute(endpoints.changePassword, {
      rateLimit: {
        ...perClientLimit('password-change'),
        keyGenerator: (request) => `password-change:${request.auth?.user.id ?? request.ip}`,
      },
    }),
    handler: async (request) => {
      const changed = await changeOwnPassword(db, signedIn(request), {
        currentPassword: request.body.current_password,
        newPassword: request.body.new_password,
      });
      if (!changed.ok) throw new BadRequestError(changed.message, changed.code);
      return presentMe(changed.session);
    },
  });
}
