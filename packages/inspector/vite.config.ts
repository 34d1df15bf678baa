import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The inspector page: Preact, compiled by Vite's own JSX transform (no Babel), relative
// asset URLs so the plugin can serve it under any prefix, nothing loaded from elsewhere.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    modulePreload: { polyfill: false },
  },
});
