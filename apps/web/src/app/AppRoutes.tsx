import { Navigate, Route, Routes } from 'react-router-dom';
import { AccountPage } from '../pages/AccountPage.tsx';
import { AccountsPage } from '../pages/AccountsPage.tsx';
import { ApiKeysPage } from '../pages/ApiKeysPage.tsx';
import { LoginPage } from '../pages/LoginPage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { SetPasswordPage } from '../pages/SetPasswordPage.tsx';
import { UsersPage } from '../pages/UsersPage.tsx';
import { WorkersPage } from '../pages/WorkersPage.tsx';
import { AppShellLayout } from './AppShellLayout.tsx';
import { RequireAuth } from './RequireAuth.tsx';

/** The routes, without a router, so tests can mount them in a MemoryRouter. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/set-password" element={<SetPasswordPage />} />
      <Route
        element={
          <RequireAuth>
            <AppShellLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/workers" replace />} />
        <Route path="/workers" element={<WorkersPage />} />
        <Route path="/accounts" element={<AccountsPage />} />
        <Route path="/accounts/:id" element={<AccountPage />} />
        <Route path="/users" element={<UsersPage />} />
        <Route path="/api-keys" element={<ApiKeysPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
