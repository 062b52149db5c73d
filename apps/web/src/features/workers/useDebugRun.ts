import { useMemo, useState } from 'react';
import { useRefreshDebug } from '../../api/tokens.ts';
import type { DebugRunState, DebugTarget } from './debugLines.ts';

/** The account being debugged and its run; started from the click, never from an effect (no double runs). */
export function useDebugRun() {
  const [target, setTarget] = useState<DebugTarget | null>(null);
  const mutation = useRefreshDebug();
  const { mutate, reset } = mutation;

  const run: DebugRunState = useMemo(
    () => ({ result: mutation.data, error: mutation.error, pending: mutation.isPending }),
    [mutation.data, mutation.error, mutation.isPending],
  );

  return {
    target,
    run,
    start: (next: DebugTarget) => {
      reset();
      setTarget(next);
      mutate(next.id);
    },
    runAgain: () => {
      if (target) mutate(target.id);
    },
    close: () => {
      setTarget(null);
      reset();
    },
  };
}
