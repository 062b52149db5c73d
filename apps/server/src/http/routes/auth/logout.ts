import { endpoints } from '@ebay-connector/contracts';
import { deleteSession } from '../../../auth/sessions.ts';
import { clearSessionCookie } from '../../auth/sessionCookie.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

/** Ends the session server-side, not only the cookie. */
export function registerLogout(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.logout),
    handler: async (request, reply) => {
      const auth = signedIn(request);
      await deleteSession(deps.ctx.db, auth.sessionId);
      clearSessionCookie(reply, deps.secureCookies);
      return { ok: true };
    },
  });
}
