import { endpoints } from '@ebay-connector/contracts';
import { onlineManager, type QueryClient } from '@tanstack/react-query';
import { isApiRequestError } from '../api/apiError.ts';

/** While the server answers, a look every few seconds notices it going away between polls. */
export const UP_CHECK_MS = 5_000;
/** While it does not, a closer look: the page recovers within this of the server's return. */
export const DOWN_CHECK_MS = 1_500;
/** A host that is gone (no refusal, no answer) counts as unreachable after this. */
const CHECK_TIMEOUT_MS = 4_000;

/** No answer at all (refused, reset, timed out), or a proxy saying the server behind it has none. */
export function isServerUnreachable(error: unknown): boolean {
  return isApiRequestError(error) && (error.code === 'network_error' || [502, 504].includes(error.status));
}

export interface ConnectivityMonitor {
  /** Since when the server has not answered; null while it does. */
  downSince: () => Date | null;
  subscribe: (listener: () => void) => () => void;
  stop: () => void;
}

async function serverAnswers(): Promise<boolean> {
  try {
    const init: RequestInit = { cache: 'no-store' };
    if (typeof AbortSignal.timeout === 'function') init.signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
    const response = await fetch(endpoints.healthz.path, init);
    // 503 is the server saying its database is down: the server itself is there.
    return response.status !== 502 && response.status !== 504;
  } catch {
    return false;
  }
}

/**
 * Watches whether the server answers: a query failing without an answer, or /healthz not
 * answering, marks it down. While down, TanStack Query is told it is offline, so queries keep
 * their last data and wait (paused, no retry storm, no card turning to an error) instead of
 * failing one by one; /healthz is asked every 1.5 s, and its first answer brings the queries
 * back online, which refetches them (refetchOnReconnect).
 */
export function startConnectivityMonitor(queryClient: QueryClient): ConnectivityMonitor {
  let downSince: Date | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void check(), ms);
  };
  const markDown = () => {
    if (onlineManager.isOnline()) onlineManager.setOnline(false);
    if (downSince) return;
    downSince = new Date();
    notify();
    schedule(DOWN_CHECK_MS);
  };
  const markUp = () => {
    if (!downSince) return;
    downSince = null;
    notify();
    onlineManager.setOnline(true);
    schedule(UP_CHECK_MS);
  };
  const check = async () => {
    // A hidden tab is not polled while all is well; once down it keeps looking, to recover.
    if (downSince || document.visibilityState !== 'hidden') {
      const answers = await serverAnswers();
      if (stopped) return;
      if (answers) markUp();
      else markDown();
    }
    schedule(downSince ? DOWN_CHECK_MS : UP_CHECK_MS);
  };

  const stopQueries = queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated') return;
    const { action } = event;
    if ((action.type === 'failed' || action.type === 'error') && isServerUnreachable(action.error))
      markDown();
  });
  const stopMutations = queryClient.getMutationCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'error' && isServerUnreachable(event.action.error))
      markDown();
  });
  schedule(UP_CHECK_MS);

  return {
    downSince: () => downSince,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      stopQueries();
      stopMutations();
      if (downSince) onlineManager.setOnline(true);
    },
  };
}
