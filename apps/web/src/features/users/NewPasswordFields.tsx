import { PasswordInput, Stack } from '@mantine/core';

export const MIN_PASSWORD_LENGTH = 12;

/** A new password typed twice; `problem` says what is wrong with it, or null. */
export function newPasswordProblem(password: string, repeat: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `At least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password !== repeat) return 'The two passwords differ.';
  return null;
}

export function NewPasswordFields(props: {
  password: string;
  repeat: string;
  onPassword: (value: string) => void;
  onRepeat: (value: string) => void;
}) {
  const problem = props.repeat ? newPasswordProblem(props.password, props.repeat) : null;
  return (
    <Stack gap="sm">
      <PasswordInput
        label="New password"
        description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        autoComplete="new-password"
        required
        value={props.password}
        onChange={(event) => props.onPassword(event.currentTarget.value)}
      />
      <PasswordInput
        label="New password again"
        autoComplete="new-password"
        required
        value={props.repeat}
        onChange={(event) => props.onRepeat(event.currentTarget.value)}
        error={problem}
      />
    </Stack>
  );
}
