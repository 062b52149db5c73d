import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadKeyRing } from '../app/keyRing.ts';
import { openDatabase } from '../db/client.ts';
import { parseEnv } from './env.ts';
import { KEY_FILE_NAME } from './keyRingSource.ts';

describe('embedded DATA_DIR', () => {
  it('is created owner-only (0700), the database directory too, and the key file 0600', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'ebc-datadir-'));
    const dataDir = path.join(root, 'data');
    try {
      loadKeyRing(parseEnv({ DATA_DIR: dataDir }));
      const database = await openDatabase({ dataDir });
      await database.close();
      const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
      expect(mode(dataDir)).toBe('700');
      expect(mode(path.join(dataDir, 'pglite'))).toBe('700');
      expect(mode(path.join(dataDir, KEY_FILE_NAME))).toBe('600');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
