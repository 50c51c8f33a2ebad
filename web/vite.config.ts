// Builds the agents' web app (web/src, React + TypeScript) into dist/web, which the API server serves.
// Everything the page needs is bundled: the server sends `Content-Security-Policy: default-src 'self'`, so
// no inline scripts, no data: URLs and nothing fetched from another origin at run time.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
