import { tokenRepairBody, tokenRepairResponse } from '@ebay-connector/contracts';
import { repairTokens } from '../../../tokens/doctor/repairTokens.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { errorResponses } from '../shared.ts';

const MAX_LISTED = 1000;

/**
 * POST /api/admin/ebay/tokens/repair `{apply, env?}`: the doctor's repairs for the caller's org, a
 * dry run unless `apply` is true. Each applied repair is logged as `token_repaired`.
 */
export function registerTokenRepair(app: ZodApp, deps: HttpDeps): void {
  app.post(
    '/api/admin/ebay/tokens/repair',
    {
      schema: {
        tags: ['tokens'],
        body: tokenRepairBody,
        response: { 200: tokenRepairResponse, ...errorResponses },
      },
      config: {
        access: 'admin',
        rateLimit: {
          max: 10,
          timeWindow: 60_000,
          hook: 'preHandler' as const,
          keyGenerator: (request) => `repair:${request.auth?.org.id ?? '-'}`,
        },
      },
    },
    async (request) => {
      const auth = signedIn(request);
      return repairTokens(deps.ctx, {
        orgId: auth.org.id,
        apply: request.body.apply,
        env: request.body.env,
        by: `api:${auth.user.email}`,
        maxListed: MAX_LISTED,
      });
    },
  );
}
