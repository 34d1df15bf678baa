import { defineConfig } from 'tsup';

// Dual build (docs/package-template.md): ESM (`.js` + `.d.ts`) for `import`, CommonJS
// (`.cjs` + `.d.cts`) for `require`.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
