import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The password policy beyond length: a password among the ~49,000 commonest (zxcvbn-ts's
 * ranked list of leaked passwords, `@zxcvbn-ts/language-common`) is refused, compared
 * case-insensitively — these are the first guesses of any attack. Checked wherever a password is
 * set: `users create`, ADMIN_PASSWORD, invite and reset links, changing one's own password.
 */

export const COMMON_PASSWORD_MESSAGE =
  'password is one of the most common passwords (the first ones an attacker tries); choose another';

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set((dictionary['passwords-common'] as readonly string[]).map((p) => p.toLowerCase()));
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

export type PasswordProblem = { ok: false; code: 'common_password'; message: string };

/** Why a new password is refused, or null. */
export function newPasswordProblem(password: string): PasswordProblem | null {
  return isCommonPassword(password)
    ? { ok: false, code: 'common_password', message: COMMON_PASSWORD_MESSAGE }
    : null;
}
