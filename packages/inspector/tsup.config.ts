import { defineConfig } from 'tsup';

// The Fastify plugin, dual (ESM `.js` + `.d.ts` for `import`, CommonJS `.cjs` + `.d.cts` for
// `require`), like every package. `shims` gives the CommonJS build an `import.meta.url`, which
// finds the page beside the plugin. The page itself is built by Vite (vite.config.ts) into
// dist/web after this build (tsup's `clean` would remove it otherwise).
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
});
