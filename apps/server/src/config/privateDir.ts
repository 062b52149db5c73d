import { chmodSync, mkdirSync } from 'node:fs';

/**
 * Creates a directory (and its parents) readable by this user only (0700), and makes an existing
 * one so: DATA_DIR holds the embedded database and the token encryption key.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
