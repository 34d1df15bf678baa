import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';

// Dual build (docs/package-template.md): ESM (`.js` + `.d.ts`) for `import`, CommonJS (`.cjs` +
// `.d.cts`) for `require`. Splitting is on for both formats, so the entries of one format share
// their chunks: one copy of the engine per format, never one per entry.

/**
 * ESM-only dependencies, bundled into both builds so that `require('@ticketflow/core')` never
 * depends on Node's require(esm): it also works under Jest and other CommonJS loaders that
 * cannot require ES modules. Their licenses ship in dist/THIRD-PARTY-LICENSES.md.
 */
const bundled = ['p-retry', 'is-network-error'];

const libraryEntries = { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'adapter/index': 'src/adapter/index.ts' };

export default defineConfig({
  // The `ticketflow` command (package.json `bin`) is built with the library so that it shares
  // its chunks: the stores and definitions it loads meet the same engine. Only its ESM file is
  // shipped (the bin); it has no types.
  entry: { ...libraryEntries, 'cli/ticketflow': 'src/cli/ticketflow.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: libraryEntries },
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['vitest'],
  noExternal: bundled,
  async onSuccess() {
    // `@ticketflow/core/testing` imports vitest, which refuses to be require()d. Its CommonJS
    // entry loads the ESM build through Node's require(esm) (Node >= 20.19), where vitest is
    // imported the way it expects. The helpers recognise errors by `Symbol.for` markers and
    // definitions by shape, so they work with stores and agents of the CommonJS build.
    writeFileSync(
      'dist/testing/index.cjs',
      "'use strict';\n// CommonJS entry of @ticketflow/core/testing: the ESM build, through require(esm).\nmodule.exports = require('./index.js');\n",
    );
    rmSync('dist/testing/index.cjs.map', { force: true });
    rmSync('dist/cli/ticketflow.cjs', { force: true });
    rmSync('dist/cli/ticketflow.cjs.map', { force: true });
    chmodSync('dist/cli/ticketflow.js', 0o755);
    writeFileSync('dist/THIRD-PARTY-LICENSES.md', thirdPartyLicenses());
  },
});

/** The license texts of the bundled dependencies, as their MIT licenses require. */
function thirdPartyLicenses(): string {
  const sections = [];
  let from = createRequire(import.meta.url);
  for (const name of bundled) {
    const entry = from.resolve(name);
    const directory = dirname(entry);
    const { version } = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as { version: string };
    sections.push(`## ${name}@${version}\n\n${readFileSync(join(directory, 'license'), 'utf8').trim()}\n`);
    from = createRequire(entry); // the next one is a dependency of this one
  }
  return `# Third-party code bundled in @ticketflow/core\n\n${sections.join('\n')}`;
}
