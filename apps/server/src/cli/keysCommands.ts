import { generateKeySpec } from '../crypto/tokenCipher.ts';
import type { CliCommand } from './registry.ts';

export const keysGenerate: CliCommand = {
  group: 'keys',
  name: 'generate',
  local: true,
  summary:
    'Prints a new token encryption key (kid:base64key); put it first in TOKEN_ENCRYPTION_KEYS to rotate.',
  usage: '[--id KID]',
  options: { id: { type: 'string' } },
  async run(values, ctx) {
    const id = typeof values.id === 'string' ? values.id : undefined;
    if (id !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      ctx.io.err('--id: letters, digits, _ and - only (at most 64)');
      return 2;
    }
    ctx.io.out(id ? generateKeySpec(id) : generateKeySpec());
    return 0;
  },
};
