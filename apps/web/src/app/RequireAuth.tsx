import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useMe } from '../api/auth.ts';
import { ErrorState, LoadingState } from '../components/QueryStates.tsx';
import { ChangePasswordPage } from '../pages/ChangePasswordPage.tsx';

/** Pages behind the session: wait for /me, send strangers to the login page with a way back. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <LoadingState label="Checking your session…" />;
  // A failed re-check keeps the session it had (the server may be gone for a moment; the banner says so).
  if (me.error && me.data === undefined)
    return <ErrorState error={me.error} onRetry={() => void me.refetch()} title="Cannot reach the server" />;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.data.password_change_required) return <ChangePasswordPage email={me.data.user.email} />;
  return children;
}
