import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../config/env.ts';
import { ConfigError } from '../config/env.ts';
import { KEY_FILE_NAME } from '../config/keyRingSource.ts';
import { ensurePrivateDir } from '../config/privateDir.ts';
import { generateKeySpec, type KeyRing, parseKeyRing } from '../crypto/tokenCipher.ts';

/**
 * The key ring comes from TOKEN_ENCRYPTION_KEYS. In embedded mode (no DATABASE_URL)
 * a key is generated once into DATA_DIR with mode 0600, so `npm start` needs no setup;
 * with a real database a missing key stops the start.
 */
export function loadKeyRing(env: Env): { ring: KeyRing; generatedAt?: string } {
  if (env.TOKEN_ENCRYPTION_KEYS) {
    try {
      return { ring: parseKeyRing(env.TOKEN_ENCRYPTION_KEYS) };
    } catch (err) {
      throw new ConfigError(`Invalid configuration:\n  - TOKEN_ENCRYPTION_KEYS: ${(err as Error).message}`);
    }
  }
  if (env.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  - TOKEN_ENCRYPTION_KEYS: required with DATABASE_URL (kid:base64key[,…]; generate one with `npm run cli -- keys generate`)',
    );
  }
  const file = path.resolve(env.DATA_DIR, KEY_FILE_NAME);
  if (existsSync(file)) return { ring: parseKeyRing(readFileSync(file, 'utf8').trim()) };
  ensurePrivateDir(env.DATA_DIR);
  writeFileSync(file, `${generateKeySpec()}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { ring: parseKeyRing(readFileSync(file, 'utf8').trim()), generatedAt: file };
}
