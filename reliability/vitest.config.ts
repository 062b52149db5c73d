import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: the load, fault, bad-input and secrets suite (docs/RELIABILITY.md).
// One file at a time: the stages share one database, one simulator and one web process.
export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'),
  test: {
    name: 'reliability',
    globals: true,
    environment: 'node',
    include: ['reliability/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/reliability.json' },
  },
});
