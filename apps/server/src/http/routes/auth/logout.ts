import { logoutResponse } from '@ebay-connector/contracts';
import { deleteSession } from '../../../auth/sessions.ts';
import { clearSessionCookie } from '../../auth/sessionCookie.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { errorResponses } from '../shared.ts';

/** POST /api/auth/logout: ends the session server-side and clears the cookie. */
export function registerLogout(app: ZodApp, deps: HttpDeps): void {
  app.post(
    '/api/auth/logout',
    {
      schema: { tags: ['auth'], response: { 200: logoutResponse, ...errorResponses } },
      config: { access: 'signed_in' },
    },
    async (request, reply) => {
      const auth = signedIn(request);
      await deleteSession(deps.ctx.db, auth.sessionId);
      clearSessionCookie(reply, deps.secureCookies);
      return { ok: true };
    },
  );
}
