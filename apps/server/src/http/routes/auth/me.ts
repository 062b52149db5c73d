import { type Me, meResponse } from '@ebay-connector/contracts';
import type { SessionUser } from '../../../auth/sessions.ts';
import { signedIn, type ZodApp } from '../../types.ts';
import { errorResponses } from '../shared.ts';

export function presentMe(session: SessionUser): Me {
  return {
    user: { id: session.user.id, email: session.user.email, role: session.user.role },
    org: { id: session.org.id, name: session.org.name },
  };
}

/** GET /api/auth/me: who is signed in (401 when no one). */
export function registerMe(app: ZodApp): void {
  app.get(
    '/api/auth/me',
    {
      schema: { tags: ['auth'], response: { 200: meResponse, ...errorResponses } },
      config: { access: 'signed_in' },
    },
    async (request) => presentMe(signedIn(request)),
  );
}
