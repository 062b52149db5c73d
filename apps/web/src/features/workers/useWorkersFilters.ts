import {
  type Environment,
  environmentSchema,
  errorCodeSchema,
  tokenStateSchema,
} from '@ebay-connector/contracts';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

export type WorkersFilterPatch = Partial<
  Record<'env' | 'account' | 'state' | 'code' | 'q' | 'page', string | null>
>;

/**
 * The Workers page's selection lives in the URL (?env=&account=&state=&code=&q=&page=),
 * so it survives a reload and can be shared.
 */
export function useWorkersFilters() {
  const [params, setParams] = useSearchParams();
  const env = environmentSchema.safeParse(params.get('env'));
  const state = tokenStateSchema.safeParse(params.get('state'));
  const code = errorCodeSchema.safeParse(params.get('code'));
  const page = Number.parseInt(params.get('page') ?? '1', 10);

  const update = useCallback(
    (patch: WorkersFilterPatch) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(patch)) {
            if (value === null || value === undefined || value === '') next.delete(key);
            else next.set(key, value);
          }
          // Any change of filter starts again at the first page.
          if (!('page' in patch)) next.delete('page');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  return {
    env: env.success ? (env.data as Environment) : undefined,
    accountId: params.get('account'),
    state: state.success ? state.data : undefined,
    errorCode: code.success ? code.data : undefined,
    search: params.get('q') ?? '',
    page: Number.isFinite(page) && page > 0 ? page : 1,
    update,
  };
}
