import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ConnectivityProvider } from './ConnectivityProvider.tsx';
import { theme } from './theme.ts';

/** Everything a page needs around it: theme, notifications, the query cache and whether the server answers. Tests use it too. */
export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <ConnectivityProvider queryClient={queryClient}>{children}</ConnectivityProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
