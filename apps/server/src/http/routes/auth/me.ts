import { endpoints } from '@ebay-connector/contracts';
import { endpointRoute } from '../../endpointRoute.ts';
import { presentMe } from '../../presenters/me.ts';
import { signedIn, type ZodApp } from '../../types.ts';

export function registerMe(app: ZodApp): void {
  app.route({
    ...endpointRoute(endpoints.me),
    handler: async (request) => presentMe(signedIn(request)),
  });
}
