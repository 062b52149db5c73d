import type { QueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import { type ConnectivityMonitor, startConnectivityMonitor } from './connectivity.ts';

const ConnectivityContext = createContext<ConnectivityMonitor | null>(null);
const noSubscription = () => () => {};

/** Runs one connectivity monitor for the app's query cache (see connectivity.ts). */
export function ConnectivityProvider({
  queryClient,
  children,
}: {
  queryClient: QueryClient;
  children: ReactNode;
}) {
  const [monitor, setMonitor] = useState<ConnectivityMonitor | null>(null);
  useEffect(() => {
    const started = startConnectivityMonitor(queryClient);
    setMonitor(started);
    return () => started.stop();
  }, [queryClient]);
  return <ConnectivityContext.Provider value={monitor}>{children}</ConnectivityContext.Provider>;
}

/** Since when the server has not answered, or null while it does. */
export function useServerDownSince(): Date | null {
  const monitor = useContext(ConnectivityContext);
  return useSyncExternalStore(monitor?.subscribe ?? noSubscription, () => monitor?.downSince() ?? null);
}
