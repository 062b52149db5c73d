import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api/apiError.ts';
import { useLogout } from '../api/auth.ts';
import { useChangePassword } from '../api/users.ts';
import { NewPasswordFields, newPasswordProblem } from '../features/users/NewPasswordFields.tsx';

/** After signing in with a one-time password: choose your own before anything else (the server insists too). */
export function ChangePasswordPage({ email }: { email: string }) {
  const change = useChangePassword();
  const logout = useLogout();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ current_password: current, new_password: password });
  };
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420}>
        <form onSubmit={submit}>
          <Stack gap="md">
            <Stack gap={2}>
              <Title order={2}>Choose your password</Title>
              <Text size="sm" c="dimmed">
                {email} signed in with a one-time password. Choose your own to continue.
              </Text>
            </Stack>
            <PasswordInput
              label="One-time password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(event) => setCurrent(event.currentTarget.value)}
              data-autofocus
            />
            <NewPasswordFields
              password={password}
              repeat={repeat}
              onPassword={setPassword}
              onRepeat={setRepeat}
            />
            {change.error && (
              <Alert color="red" variant="light" role="alert">
                {describeError(change.error)}
              </Alert>
            )}
            <Button
              type="submit"
              disabled={!current || newPasswordProblem(password, repeat) !== null}
              loading={change.isPending}
            >
              Save password
            </Button>
            <Button variant="subtle" size="xs" onClick={() => logout.mutate()}>
              Sign out instead
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
