import { AppShell, Badge, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet, NavLink as RouterNavLink, useLocation, useNavigate } from 'react-router-dom';
import { useLogout, useMe } from '../api/auth.ts';
import { ServerUnreachableBanner } from '../components/ServerUnreachableBanner.tsx';

const adminLinks = [
  { to: '/workers', label: 'Workers' },
  { to: '/accounts', label: 'Accounts' },
  // Issue 16: managing the org's users is for admins only.
  { to: '/users', label: 'Users', adminOnly: true },
  // Issue 11: keys for services; viewers see the list.
  { to: '/api-keys', label: 'API keys' },
];

/** Header with the user and Logout; navigation Admin → Workers, Accounts, (admins) Users and API keys. */
export function AppShellLayout() {
  const [navOpened, { toggle, close: closeNav }] = useDisclosure(false);
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const { pathname } = useLocation();

  return (
    <AppShell
      header={{ height: 56 }}
      // Below md (992 px) the navbar folds away behind the burger: at 800 px the tables need the width.
      navbar={{ width: 220, breakpoint: 'md', collapsed: { mobile: !navOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={4}>eBay connector</Title>
            {me.data && (
              <Text size="sm" c="dimmed" visibleFrom="sm">
                {me.data.org.name}
              </Text>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {me.data && (
              <>
                <Text size="sm" visibleFrom="sm">
                  {me.data.user.email}
                </Text>
                <Badge variant="light" color={me.data.user.role === 'admin' ? 'blue' : 'gray'}>
                  {me.data.user.role}
                </Badge>
              </>
            )}
            <Button
              size="xs"
              variant="default"
              loading={logout.isPending}
              onClick={() =>
                logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })
              }
            >
              Logout
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <NavLink label="Admin" defaultOpened childrenOffset={12} active={false}>
          {adminLinks
            .filter((link) => !link.adminOnly || me.data?.user.role === 'admin')
            .map((link) => (
              <NavLink
                key={link.to}
                component={RouterNavLink}
                to={link.to}
                label={link.label}
                active={pathname.startsWith(link.to)}
                onClick={closeNav}
              />
            ))}
        </NavLink>
      </AppShell.Navbar>
      <AppShell.Main>
        <ServerUnreachableBanner />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
