import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Dual build (docs/package-template.md): ESM (`.js` + `.d.ts`) for `import`, CommonJS
// (`.cjs` + `.d.cts`) for `require`. The package's version becomes the instrumentation
// scope's version (the tracer's and meter's).
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  define: { __TICKETFLOW_OTEL_VERSION__: JSON.stringify(version) },
});
