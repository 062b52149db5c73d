import type { Account } from '@ebay-connector/contracts';
import { Button, Menu } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { AccountChange } from '../../api/accountManagement.ts';
import { AccountChangeDialog } from './AccountChangeDialog.tsx';

/** "Manage ▾": open the account page; for admins disable or enable, and remove (each confirmed). */
export function AccountActionsMenu({ account, isAdmin }: { account: Account; isAdmin: boolean }) {
  const [change, setChange] = useState<AccountChange | null>(null);
  const navigate = useNavigate();
  if (account.status === 'removed') return null;
  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button size="compact-xs" variant="default" aria-label={`Manage ${account.house_name}`}>
            Manage ▾
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => navigate(`/accounts/${account.id}`)}>Open account page</Menu.Item>
          {isAdmin && (
            <>
              {account.status === 'disabled' ? (
                <Menu.Item onClick={() => setChange('enable')}>Enable…</Menu.Item>
              ) : (
                <Menu.Item onClick={() => setChange('disable')}>Disable…</Menu.Item>
              )}
              <Menu.Divider />
              <Menu.Item color="red" onClick={() => setChange('remove')}>
                Remove…
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      {change && <AccountChangeDialog account={account} change={change} onClose={() => setChange(null)} />}
    </>
  );
}
