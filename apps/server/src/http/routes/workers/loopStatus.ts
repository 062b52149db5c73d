import { loopStatusResponse } from '@ebay-connector/contracts';
import { listLoopStatus } from '../../../workers/loopStatusQuery.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';
import { errorResponses } from '../shared.ts';

/** GET /api/admin/ebay/workers/loop-status: heartbeats of the background loops, with the stale flag. */
export function registerLoopStatus(app: ZodApp, deps: HttpDeps): void {
  app.get(
    '/api/admin/ebay/workers/loop-status',
    {
      schema: { tags: ['workers'], response: { 200: loopStatusResponse, ...errorResponses } },
      config: { access: 'signed_in' },
    },
    async (request) => {
      const auth = signedIn(request);
      const loops = await listLoopStatus(deps.ctx.db, auth.org.id, deps.ctx.now());
      return { loops };
    },
  );
}
