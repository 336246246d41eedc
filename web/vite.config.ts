/**
 * Vite builds the dashboard (web/) into dist/web, which api/routes/ui.ts serves. Everything is
 * bundled (sigma, graphology, the layouts): the page needs no CDN and no network beyond its server.
 */
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: path.resolve(import.meta.dirname, '../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // One chunk for sigma + graphology (~200 kB): the page draws a graph on almost every view.
    chunkSizeWarningLimit: 600,
  },
});
