import type { KeyRingSource } from '@ebay-connector/contracts';
import type { Env } from './env.ts';

/** The key file of embedded mode, in DATA_DIR (app/keyRing.ts generates it on the first start). */
export const KEY_FILE_NAME = 'token-encryption-keys';

/**
 * Where this deployment reads its key ring: TOKEN_ENCRYPTION_KEYS when set (production), else
 * the key file in DATA_DIR. The token doctor names it, so a missing key is put back there.
 */
export function keyRingSource(env: Pick<Env, 'TOKEN_ENCRYPTION_KEYS' | 'DATA_DIR'>): KeyRingSource {
  if (env.TOKEN_ENCRYPTION_KEYS) return { source: 'env', location: 'TOKEN_ENCRYPTION_KEYS' };
  return { source: 'file', location: `${env.DATA_DIR.replace(/\/+$/, '')}/${KEY_FILE_NAME}` };
}
