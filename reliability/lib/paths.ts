import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Everything the suite leaves behind: logs, saved response bodies, the dump, the figures. */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-results/reliability');
export const LOG_DIR = path.join(ARTIFACTS_DIR, 'logs');
export const RESPONSES_DIR = path.join(ARTIFACTS_DIR, 'responses');
