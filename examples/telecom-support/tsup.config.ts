import { defineConfig } from 'tsup';

// The library entry (for apps that import the example's factory) and the two programs.
export default defineConfig({
  entry: { index: 'src/index.ts', 'cli/demo': 'src/cli/demo.ts', 'cli/serve': 'src/cli/serve.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
