import { endpoints, type OrgUser } from '@ebay-connector/contracts';
import { findOrgUser, listOrgUsers } from '../../../auth/orgUsers.ts';
import type { SessionUser } from '../../../auth/sessions.ts';
import {
  type Actor,
  addOrgUser,
  changeOrgUserRole,
  disableOrgUser,
  enableOrgUser,
  removeOrgUser,
  resetOrgUserPassword,
  type UserChangeRefusal,
} from '../../../auth/userAdmin.ts';
import { endpointRoute } from '../../endpointRoute.ts';
import { NotFoundError } from '../../errors.ts';
import { presentUserCredential, userChangeError } from '../../presenters/userCredential.ts';
import { type HttpDeps, signedIn, type ZodApp } from '../../types.ts';

/** Admin → Users: the org's admins manage its users (viewers get 403 from the guard). */

const actorOf = (auth: SessionUser): Actor => ({ orgId: auth.org.id, userId: auth.user.id });

async function requireUser(deps: HttpDeps, auth: SessionUser, userId: string): Promise<OrgUser> {
  const user = await findOrgUser(deps.ctx.db, auth.org.id, userId);
  if (!user) throw new NotFoundError('user');
  return user;
}

/** The user as the change left them, or the refusal as its HTTP error. */
async function userAfter(
  deps: HttpDeps,
  auth: SessionUser,
  userId: string,
  outcome: { ok: true } | UserChangeRefusal,
): Promise<OrgUser> {
  if (!outcome.ok) throw userChangeError(outcome);
  return requireUser(deps, auth, userId);
}

export function registerManageUsers(app: ZodApp, deps: HttpDeps): void {
  const { db } = deps.ctx;
  app.route({
    ...endpointRoute(endpoints.listUsers),
    handler: async (request) => ({ users: await listOrgUsers(db, signedIn(request).org.id) }),
  });
  app.route({
    ...endpointRoute(endpoints.createUser),
    handler: async (request) => {
      const auth = signedIn(request);
      const created = await addOrgUser(db, actorOf(auth), { ...request.body, now: deps.ctx.now() });
      if (!created.ok) throw userChangeError(created);
      return presentUserCredential(await requireUser(deps, auth, created.userId), created, deps.uiBaseUrl);
    },
  });
  app.route({
    ...endpointRoute(endpoints.changeUserRole),
    handler: async (request) => {
      const auth = signedIn(request);
      const { id } = request.params;
      const changed = await changeOrgUserRole(db, actorOf(auth), id, request.body.role);
      return { user: await userAfter(deps, auth, id, changed) };
    },
  });
  app.route({
    ...endpointRoute(endpoints.disableUser),
    handler: async (request) => {
      const auth = signedIn(request);
      const { id } = request.params;
      const changed = await disableOrgUser(db, actorOf(auth), id, deps.ctx.now());
      return { user: await userAfter(deps, auth, id, changed) };
    },
  });
  app.route({
    ...endpointRoute(endpoints.enableUser),
    handler: async (request) => {
      const auth = signedIn(request);
      const { id } = request.params;
      return { user: await userAfter(deps, auth, id, await enableOrgUser(db, actorOf(auth), id)) };
    },
  });
  app.route({
    ...endpointRoute(endpoints.resetUserPassword),
    handler: async (request) => {
      const auth = signedIn(request);
      const { id } = request.params;
      const reset = await resetOrgUserPassword(
        db,
        actorOf(auth),
        id,
        request.body.credential,
        deps.ctx.now(),
      );
      if (!reset.ok) throw userChangeError(reset);
      return presentUserCredential(await requireUser(deps, auth, id), reset, deps.uiBaseUrl);
    },
  });
  app.route({
    ...endpointRoute(endpoints.removeUser),
    handler: async (request) => {
      const auth = signedIn(request);
      const removed = await removeOrgUser(db, actorOf(auth), request.params.id);
      if (!removed.ok) throw userChangeError(removed);
      return { ok: true };
    },
  });
}
