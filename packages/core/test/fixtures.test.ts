import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from './support/fixtures.js';

const original = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));

function files(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('vendored fixtures', () => {
  it.skipIf(!existsSync(original))('are verbatim copies of the shared originals', () => {
    const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const originals = files(original)
      .map((path) => relative(original, path))
      .sort();
    expect(originals.length).toBeGreaterThan(30);
    for (const path of originals) expect(digest(join(FIXTURES_DIR, path)), path).toBe(digest(join(original, path)));
  });

  it('are present in the repository', () => {
    expect(files(join(FIXTURES_DIR, 'llm')).length).toBeGreaterThan(30);
    expect(existsSync(join(FIXTURES_DIR, 'sgd', 'sgd-banks2-dev.json'))).toBe(true);
  });
});
