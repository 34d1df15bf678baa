import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeSnippets } from '../src/readme-snippets.js';
import { codeEntries, publishedPackages, readManifest, repositoryRoot, type PublishedPackage } from '../src/workspace.js';

// docs/package-template.md, checked on every published package of packages/ (the next ones too).

const REPOSITORY = 'https://github.com/ticketflow/ticketflow';
const rootLicense = readFileSync(join(repositoryRoot, 'LICENSE'), 'utf8');
const packages = publishedPackages();
const corePeerZod = packages.find((entry) => entry.manifest.name === '@ticketflow/core')?.manifest.peerDependencies?.zod;

function importsZod(entry: PublishedPackage): boolean {
  const sources = (directory: string): string[] =>
    readdirSync(directory, { withFileTypes: true }).flatMap((file) => {
      const path = join(directory, file.name);
      if (file.isDirectory()) return sources(path);
      return /\.tsx?$/.test(file.name) && !/\.test\.tsx?$/.test(file.name) ? [path] : [];
    });
  const source = join(entry.directory, 'src');
  return existsSync(source) && sources(source).some((file) => /from ['"]zod(\/[^'"]*)?['"]/.test(readFileSync(file, 'utf8')));
}

describe('package template (docs/package-template.md)', () => {
  it('finds the published packages', () => {
    expect(packages.map((entry) => entry.manifest.name)).toEqual(
      expect.arrayContaining(['@ticketflow/core', '@ticketflow/llm-mock', '@ticketflow/adapter-sqlite']),
    );
  });

  it('the root LICENSE is MIT', () => {
    expect(rootLicense).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} The ticketflow authors\n/);
  });

  describe.each(packages.map((entry) => [entry.manifest.name, entry] as const))('%s', (name, entry) => {
    const { manifest } = entry;

    it('has the metadata npm shows: license, LICENSE, repository, homepage, bugs, keywords', () => {
      expect(manifest.license).toBe('MIT');
      expect(readFileSync(join(entry.directory, 'LICENSE'), 'utf8'), 'packages/<name>/LICENSE is a copy of the root LICENSE').toBe(rootLicense);
      expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git`, directory: `packages/${entry.folder}` });
      expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/packages/${entry.folder}#readme`);
      expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
      expect(manifest.keywords).toEqual(expect.arrayContaining(['ticketflow']));
      expect(manifest.description?.length ?? 0).toBeGreaterThan(20);
      expect(manifest.engines).toEqual({ node: '>=20.19' });
    });

    it('exports an ESM and a CommonJS build for every entry, each with its own types', () => {
      expect(manifest.type).toBe('module');
      expect(manifest.exports?.['./package.json']).toBe('./package.json');
      for (const subpath of codeEntries(manifest)) {
        const base = subpath === '.' ? 'index' : `${subpath.slice(2)}/index`;
        expect(manifest.exports?.[subpath], `exports["${subpath}"]`).toEqual({
          import: { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` },
          require: { types: `./dist/${base}.d.cts`, default: `./dist/${base}.cjs` },
        });
        if (subpath !== '.') {
          const typesVersions = (manifest as { typesVersions?: Record<string, Record<string, string[]>> }).typesVersions;
          expect(typesVersions?.['*']?.[subpath.slice(2)], `typesVersions for ${subpath} (node10 resolution)`).toEqual([`./dist/${base}.d.cts`]);
        }
      }
      expect(manifest.main).toBe('./dist/index.cjs');
      expect(manifest.types).toBe('./dist/index.d.cts');
      expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'LICENSE']));
      const tsup = readFileSync(join(entry.directory, 'tsup.config.ts'), 'utf8');
      expect(tsup, 'tsup.config.ts builds both formats').toMatch(/format:\s*\[\s*'esm',\s*'cjs'\s*\]/);
    });

    it('lints with publint --strict and attw in its full profile', () => {
      expect(manifest.scripts?.build).toMatch(/^tsup\b/);
      expect(manifest.scripts?.['lint:package']).toBe('publint --strict && attw --pack .');
    });

    it('peer-depends on the core and on zod instead of bundling their copies', () => {
      expect(Object.keys(manifest.dependencies ?? {}), 'zod and the core are never plain dependencies').not.toEqual(expect.arrayContaining(['zod']));
      expect(manifest.dependencies?.['@ticketflow/core']).toBeUndefined();
      if (name !== '@ticketflow/core') {
        expect(manifest.peerDependencies?.['@ticketflow/core']).toBe('workspace:^0');
        expect(manifest.devDependencies?.['@ticketflow/core']).toBe('workspace:*');
      }
      if (name === '@ticketflow/core' || importsZod(entry)) {
        expect(manifest.peerDependencies?.zod, 'zod is a peer, with the core’s range').toBe(corePeerZod);
        expect(manifest.devDependencies?.zod).toBeDefined();
      }
    });

    it('says how to install it, zod included, and marks its README fragments', () => {
      const readme = readFileSync(join(entry.directory, 'README.md'), 'utf8');
      const install = /## Install\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
      expect(install, 'an Install section with an npm install line').toContain(`npm install`);
      expect(install).toContain(name);
      expect(install, 'the install line names the zod peer').toMatch(/\bzod\b/);
      expect(() => readmeSnippets(join(entry.directory, 'README.md'))).not.toThrow();
    });

    it('is built before the packaging test (a devDependency of packaging/)', () => {
      expect(readManifest(join(repositoryRoot, 'packaging')).devDependencies?.[name]).toBe('workspace:*');
    });
  });

  it('every root script works with npm alone (through scripts/bootstrap.mjs)', () => {
    const scripts = readManifest(repositoryRoot).scripts ?? {};
    for (const script of ['demo', 'test', 'build', 'typecheck', 'lint:package', 'bench', 'pack']) {
      expect(scripts[script], script).toBe(`node scripts/bootstrap.mjs ${script}`);
    }
  });
});
