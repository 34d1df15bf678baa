import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The wire fixtures are vendored verbatim in the repository: <repo root>/fixtures/llm.
// TICKETFLOW_FIXTURES_DIR overrides the location (a directory holding gemini/ and ollama/).
function fixturesDirectory(): string {
  const override = process.env.TICKETFLOW_FIXTURES_DIR;
  if (override) return resolve(override);
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('wire fixtures: cannot find the repository root (pnpm-workspace.yaml) above this file');
    directory = parent;
  }
  const fixtures = resolve(directory, 'fixtures', 'llm');
  if (!existsSync(fixtures)) {
    throw new Error(`wire fixtures not found at ${fixtures} (expected <repo root>/fixtures/llm; set TICKETFLOW_FIXTURES_DIR to override)`);
  }
  return fixtures;
}

/** The text of a fixture file, e.g. `readWireFixture('gemini', 'error-503-UNAVAILABLE.overloaded.json')`. */
export function readWireFixture(provider: 'gemini' | 'ollama', file: string): string {
  const path = join(fixturesDirectory(), provider, file);
  if (!existsSync(path)) throw new Error(`wire fixture missing: ${path}`);
  return readFileSync(path, 'utf8');
}

/** The file names of one provider's fixtures, sorted. */
export function listWireFixtures(provider: 'gemini' | 'ollama'): string[] {
  return readdirSync(join(fixturesDirectory(), provider)).sort();
}
