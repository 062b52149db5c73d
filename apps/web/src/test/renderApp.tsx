import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { AppProviders } from '../app/AppProviders.tsx';
import { AppRoutes } from '../app/AppRoutes.tsx';
import { createQueryClient } from '../app/queryClient.ts';

/** Renders UI inside the real providers and a memory router at `path`. */
export function renderWithProviders(ui: ReactNode, path = '/') {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, refetchOnWindowFocus: false } });
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
export function renderApp(path: string) {
  return renderWithProviders(<AppRoutes />, path);
}
