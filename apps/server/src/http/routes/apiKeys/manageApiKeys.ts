import { endpoints } from '@ebay-connector/contracts';
import { createApiKey, listApiKeys, presentApiKey, revokeApiKey } from '../../../auth/apiKeys.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { NotFoundError } from '../../errors.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

/** Admin → API keys: admins create and revoke the org's keys, viewers list them (never the keys). */
export function registerManageApiKeys(app: ZodApp, deps: HttpDeps): void {
  const { db } = deps.ctx;
  app.route({
    ...endpointRoute(endpoints.listApiKeys),
    handler: async (request) => ({
      keys: (await listApiKeys(db, signedIn(request).org.id)).map(presentApiKey),
    }),
  });
  app.route({
    ...endpointRoute(endpoints.createApiKey),
    handler: async (request) => {
      const auth = signedIn(request);
      const created = await createApiKey(db, {
        orgId: auth.org.id,
        name: request.body.name,
        scopes: request.body.scopes,
        createdBy: auth.user.id,
      });
      request.log.info({ apiKeyId: created.id, apiKeyName: created.name }, 'API key created');
      const { id, name, scopes, created_at } = presentApiKey(created);
      return { id, name, scopes, created_at, key: created.key };
    },
  });
  app.route({
    ...endpointRoute(endpoints.revokeApiKey),
    handler: async (request, reply) => {
      const auth = signedIn(request);
      const revoked = await revokeApiKey(db, request.params.id, deps.ctx.now(), auth.org.id);
      if (!revoked) throw new NotFoundError('API key');
      request.log.info({ apiKeyId: revoked.id, apiKeyName: revoked.name }, 'API key revoked');
      return reply.code(204).send();
    },
  });
}
