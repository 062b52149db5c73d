import { useMemo } from 'react';
import { useAccounts } from '../../api/accounts.ts';

export interface AccountOption {
  value: string;
  label: string;
}

export const accountLabel = (account: { house_name: string; environment: string }) =>
  `${account.house_name} (${account.environment})`;

/** The org's accounts as picker options, sorted by house name. */
export function useAccountOptions(): { options: AccountOption[]; isLoading: boolean } {
  const accounts = useAccounts();
  const options = useMemo(
    () =>
      (accounts.data?.accounts ?? [])
        .map((account) => ({ value: account.id, label: accountLabel(account) }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    [accounts.data],
  );
  return { options, isLoading: accounts.isPending };
}
