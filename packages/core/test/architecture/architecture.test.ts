import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cyclesOf, folderGraph, longFunctions, sourceFiles } from './source-files.js';

const repository = fileURLToPath(new URL('../../../../', import.meta.url));
const coreSource = fileURLToPath(new URL('../../src/', import.meta.url));

describe('architecture (issue 14)', () => {
  it('no folder of the core imports a folder that imports it back (no import cycle between core folders)', () => {
    const cycles = cyclesOf(folderGraph(coreSource));
    expect(cycles, `import cycles between core folders: ${cycles.map((cycle) => cycle.join(' -> ')).join('; ')}`).toEqual([]);
  });

  it('no function in packages/*/src is longer than 60 lines', () => {
    const packages = readdirSync(`${repository}packages`).filter((name) => existsSync(`${repository}packages/${name}/src`));
    expect(packages.length).toBeGreaterThanOrEqual(7);
    const long = packages
      // Conformance suites are exempt when split into one file per contract area (issue 14): a `describe` holds one area's tests.
      .flatMap((name) =>
        sourceFiles(`${repository}packages/${name}/src`)
          .filter((file) => !/\/testing\/(store-conformance|llm-conformance)/.test(file) && !/llm-conformance[^/]*\.ts$/.test(file))
          .flatMap((file) => longFunctions(file, 60).map((found) => `${file.slice(repository.length)}:${found.line} ${found.name} (${found.lines} lines)`)),
      );
    expect(long, `functions over 60 lines:\n${long.join('\n')}`).toEqual([]);
  });
});
