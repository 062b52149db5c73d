import type { Me } from '@ebay-connector/contracts';
import type { SessionUser } from '../../auth/sessions.ts';

/** The signed-in user and org, as `me` and `login` answer them. */
export function presentMe(session: SessionUser): Me {
  return {
    user: { id: session.user.id, email: session.user.email, role: session.user.role },
    org: { id: session.org.id, name: session.org.name },
    // Said only when it applies: every other session answers as it always has.
    ...(session.passwordChangeRequired ? { password_change_required: true } : {}),
  };
}
