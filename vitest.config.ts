import { defineConfig } from 'vitest/config';

// One runner for the whole repository. Server and package tests run in Node;
// web component tests in jsdom; browser end-to-end tests last, one file at a time.
export default defineConfig({
  test: {
    globals: true,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        test: {
          name: 'server',
          globals: true,
          environment: 'node',
          include: ['apps/server/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: './apps/web/vite.config.ts',
        test: {
          name: 'web',
          globals: true,
          environment: 'jsdom',
          include: ['apps/web/src/**/*.test.tsx', 'apps/web/src/**/*.test.ts'],
          setupFiles: ['apps/web/src/test/setup.ts'],
          // Several engineers' test runs share two cores: a dialog flow of a dozen user events can
          // take longer than the default 5 s there, without anything being wrong.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          globals: true,
          environment: 'node',
          include: ['apps/web/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
