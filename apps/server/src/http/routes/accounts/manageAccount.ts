import { endpoints } from '@ebay-connector/contracts';
import { getAccountDetail } from '../../../tokens/accounts/accountDetail.ts';
import { type AccountChange, changeAccount } from '../../../tokens/accounts/manageAccount.ts';
import { setRefreshPolicy } from '../../../tokens/accounts/setRefreshPolicy.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

/** The account page and the account's management: disable, enable, remove (admins). */
export function registerManageAccount(app: ZodApp, deps: HttpDeps): void {
  app.route({
    ...endpointRoute(endpoints.accountDetail),
    handler: async (request) => {
      const detail = await getAccountDetail(deps.ctx, signedIn(request).org.id, request.params.id);
      if (!detail) throw new NotFoundError('eBay account');
      return detail;
    },
  });
  app.route({
    ...endpointRoute(endpoints.setRefreshPolicy),
    handler: async (request) => {
      const result = await setRefreshPolicy(deps.ctx, {
        orgId: signedIn(request).org.id,
        accountId: request.params.id,
        policy: request.body.refresh_policy,
        now: deps.ctx.now(),
      });
      if (!result) throw new NotFoundError('eBay account');
      return result;
    },
  });
  const changes = [
    [endpoints.disableAccount, 'disable'],
    [endpoints.enableAccount, 'enable'],
    [endpoints.removeAccount, 'remove'],
  ] as const satisfies ReadonlyArray<readonly [unknown, AccountChange]>;
  for (const [endpoint, change] of changes) {
    app.route({
      ...endpointRoute(endpoint),
      handler: async (request) => {
        const auth = signedIn(request);
        const outcome = await changeAccount(deps.ctx.db, {
          orgId: auth.org.id,
          accountId: request.params.id,
          change,
          by: auth.user.email,
          now: deps.ctx.now(),
        });
        if (outcome.ok) return { account: outcome.account };
        if (outcome.code === 'not_found') throw new NotFoundError('eBay account');
        throw new ConflictError(outcome.message, outcome.code);
      },
    });
  }
}
