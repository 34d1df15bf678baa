import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's vendored copy of the shared fixtures (see `fixtures/README.md`). */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

/** Reads and parses a JSON fixture, failing clearly when it is missing. */
export function readFixture<T>(relativePath: string): T {
  const path = `${FIXTURES_DIR}${relativePath}`;
  if (!existsSync(path)) throw new Error(`fixture ${relativePath} is missing at ${path}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
