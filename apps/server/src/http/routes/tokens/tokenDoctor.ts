import { tokenDoctorQuery, tokenDoctorResponse } from '@ebay-connector/contracts';
import { diagnoseTokens } from '../../../tokens/doctor/doctor.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { errorResponses } from '../shared.ts';

/**
 * GET /api/admin/ebay/tokens/doctor: why each of the org's accounts' tokens do or do not
 * work, and the repair that applies. Read-only and secret-free, so viewers may read it.
 */
export function registerTokenDoctor(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/admin/ebay/tokens/doctor',
    {
      schema: {
        tags: ['tokens'],
        querystring: tokenDoctorQuery,
        response: { 200: tokenDoctorResponse, ...errorResponses },
      },
      config: { access: 'signed_in' },
    },
    async (request) => {
      const auth = signedIn(request);
      const q = request.query;
      return diagnoseTokens(deps.ctx, { orgId: auth.org.id, env: q.env, maxListed: q.limit });
    },
  );
}
