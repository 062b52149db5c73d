import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/**
 * Password hashing: argon2id (the library's default algorithm) with its default
 * OWASP-level cost (19 MiB, 2 passes). The PHC string carries the parameters, so a
 * later cost change keeps old hashes verifiable.
 */

export async function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed login, not a crash.
    return false;
  }
}

/** A hash of a random password: verified against when the email is unknown, so timing does not tell. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash;
}

/** 24 characters of base64url: about 144 bits, printed once by the CLI. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
