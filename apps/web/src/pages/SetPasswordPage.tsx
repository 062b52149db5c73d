import { Alert, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { describeError } from '../api/apiError.ts';
import { usePasswordLinkInfo, useUsePasswordLink } from '../api/users.ts';
import { LoadingState } from '../components/QueryStates.tsx';
import { NewPasswordFields, newPasswordProblem } from '../features/users/NewPasswordFields.tsx';

/**
 * `/set-password#<token>`: an invite or reset link. The token is after `#`, so it never reaches
 * a server log; the page sends it in request bodies. Choosing the password signs you in.
 */
export function SetPasswordPage() {
  const { hash } = useLocation();
  const token = hash.replace(/^#/, '');
  const info = usePasswordLinkInfo(token);
  const use = useUsePasswordLink();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    use.mutate({ token, password }, { onSuccess: () => navigate('/workers', { replace: true }) });
  };
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420}>
        {!token ? (
          <Alert color="red" title="This link is incomplete">
            Open the whole link you were sent, or ask an admin for a new one.
          </Alert>
        ) : info.isPending ? (
          <LoadingState label="Checking the link…" />
        ) : info.error ? (
          <Stack gap="sm">
            <Alert color="red" title="This link cannot be used" role="alert">
              {describeError(info.error)}
            </Alert>
            <Button component={Link} to="/login" variant="default">
              Go to sign in
            </Button>
          </Stack>
        ) : (
          <form onSubmit={submit}>
            <Stack gap="md">
              <Stack gap={2}>
                <Title order={2}>
                  {info.data.purpose === 'invite' ? 'Welcome' : 'Choose a new password'}
                </Title>
                <Text size="sm" c="dimmed">
                  {info.data.email} · {info.data.org_name}
                </Text>
              </Stack>
              <NewPasswordFields
                password={password}
                repeat={repeat}
                onPassword={setPassword}
                onRepeat={setRepeat}
              />
              {use.error && (
                <Alert color="red" variant="light" role="alert">
                  {describeError(use.error)}
                </Alert>
              )}
              <Button
                type="submit"
                disabled={newPasswordProblem(password, repeat) !== null}
                loading={use.isPending}
              >
                Set password and sign in
              </Button>
            </Stack>
          </form>
        )}
      </Paper>
    </Center>
  );
}
