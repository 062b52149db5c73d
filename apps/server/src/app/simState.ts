import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EbaySim, EbaySimOptions, SimSnapshot } from '@ebay-connector/ebay-sim';

/**
 * The embedded simulator plays eBay, which remembers grants across our restarts. Its
 * app credentials and grants are kept in DATA_DIR (mode 0600) so the demo accounts
 * still refresh after `npm start` is run a second time.
 */

interface SimStateFile {
  clientId: string;
  clientSecret: string;
  ruName: string;
  snapshot: SimSnapshot;
}

const fileOf = (dataDir: string) => path.resolve(dataDir, 'ebay-sim-state.json');

export function loadSimState(dataDir: string): {
  options: Pick<EbaySimOptions, 'clientId' | 'clientSecret' | 'ruName'>;
  restore?: (sim: EbaySim) => void;
} {
  const file = fileOf(dataDir);
  if (!existsSync(file)) return { options: {} };
  const state = JSON.parse(readFileSync(file, 'utf8')) as SimStateFile;
  return {
    options: { clientId: state.clientId, clientSecret: state.clientSecret, ruName: state.ruName },
    restore: (sim) => sim.control.importState(state.snapshot),
  };
}

export function saveSimState(dataDir: string, sim: EbaySim): void {
  const state: SimStateFile = {
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    ruName: sim.ruName,
    snapshot: sim.control.exportState(),
  };
  const file = fileOf(dataDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(state), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
