import type { endpoints, OrgUser, ResponseOf } from '@ebay-connector/contracts';
import type { LinkProblem } from '../../auth/passwordLinks.ts';
import { passwordLinkUrl } from '../../auth/passwordLinks.ts';
import type { IssuedCredential, UserChangeRefusal } from '../../auth/userAdmin.ts';
import { ConflictError, ForbiddenError, HttpError, NotFoundError } from '../errors.ts';

/** A new user's or a reset's credential, shown once: the one-time password or the link to open. */
export function presentUserCredential(
  user: OrgUser,
  issued: IssuedCredential,
  uiBaseUrl: string,
): ResponseOf<typeof endpoints.createUser> {
  return {
    user,
    one_time_password: issued.oneTimePassword,
    link: issued.link
      ? {
          url: passwordLinkUrl(uiBaseUrl, issued.link.token),
          expires_at: issued.link.expiresAt.toISOString(),
        }
      : null,
  };
}

/** A refused user change as its HTTP error: another org's id is the same 404 as a missing one. */
export function userChangeError(refusal: UserChangeRefusal): HttpError {
  if (refusal.code === 'not_found') return new NotFoundError('user');
  if (refusal.code === 'not_admin') return new ForbiddenError(refusal.message, 'forbidden');
  return new ConflictError(refusal.message, refusal.code);
}

/** An unknown or used link is a 404, an expired one a 410, each with what to do next. */
export function linkProblemError(problem: LinkProblem): HttpError {
  return new HttpError(problem.code === 'link_expired' ? 410 : 404, problem.code, problem.message);
}
