import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// No `root` here: `vite build apps/web` passes it, and the root vitest.config.ts
// extends this file for the `web` project whose globs are relative to the repository.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/healthz': 'http://127.0.0.1:3000',
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
