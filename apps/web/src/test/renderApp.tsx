import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { AppProviders } from '../app/AppProviders.tsx';
import { AppRoutes } from '../app/AppRoutes.tsx';
import { createQueryClient } from '../app/queryClient.ts';

/**
 * Renders UI inside the real providers and a memory router at `path`; without retries unless
 * `appRetries` (the app's own retry policy, for tests of what a failing server looks like).
 */
export function renderWithProviders(ui: ReactNode, path = '/', { appRetries = false } = {}) {
  const queryClient = createQueryClient();
  if (!appRetries) {
    const defaults = queryClient.getDefaultOptions();
    queryClient.setDefaultOptions({
      ...defaults,
      queries: { ...defaults.queries, retry: false, refetchOnWindowFocus: false },
    });
  }
  return {
    queryClient,
    ...render(
      <AppProviders queryClient={queryClient}>
        <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
      </AppProviders>,
    ),
  };
}

/** The whole app (routes, guard, shell) at `path`. */
export function renderApp(path: string, options: { appRetries?: boolean } = {}) {
  return renderWithProviders(<AppRoutes />, path, options);
}
