import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { packAll, type PackedPackage } from '../src/pack.js';
import { readmeSnippets, toReadmeLocations, type Snippet } from '../src/readme-snippets.js';
import { runCommand, runOrThrow } from '../src/run-command.js';
import { createScratchApp, registryAnswers, type ScratchApp } from '../src/scratch-app.js';
import { codeEntries, publishedPackages, repositoryRoot, specifierOf } from '../src/workspace.js';

// A new user's first hour, replayed on every `npm test`: the packed tarballs are installed with
// plain npm into a throwaway CommonJS app and a throwaway ESM app outside the workspace; each
// type-checks, runs an agent on the mock LLM with the memory store and SQLite, and loads every
// entry of every package. The ESM app also type-checks the READMEs' code blocks.

const isCI = /^(1|true)$/i.test(process.env.CI ?? '');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Entries whose CommonJS form loads the ESM build through require(esm): vitest refuses require(). */
const REQUIRE_ESM_ENTRIES = ['@ticketflow/core/testing'];

let workDirectory: string;
let packed: PackedPackage[];
let offline = false;
let cjsApp: Promise<ScratchApp>;
let esmApp: Promise<ScratchApp>;

beforeAll(async () => {
  workDirectory = mkdtempSync(join(tmpdir(), 'ticketflow-packed-'));
  packed = await packAll(publishedPackages(), join(workDirectory, 'tarballs'));
  offline = !(await registryAnswers());
  const common = { packed, offline };
  // Both installs run at once; each test waits for its own app.
  cjsApp = createScratchApp({
    ...common,
    template: 'cjs',
    directory: join(workDirectory, 'cjs-app'),
    // The oldest zod the peer range admits, where the ESM app gets the newest.
    dependencies: { zod: `~${minimumZod()}`, vitest: '^4' },
    devDependencies: { '@types/node': '^20.19.0' },
  });
  esmApp = createScratchApp({
    ...common,
    template: 'esm',
    directory: join(workDirectory, 'esm-app'),
    dependencies: { zod: '^4', vitest: '^4', fastify: '^5' },
    // What README blocks use besides the packages: pg and better-sqlite3 types, the
    // OpenTelemetry SDK pieces of the otel README's test recipe.
    devDependencies: {
      '@types/node': '^20.19.0',
      '@types/pg': '^8',
      '@types/better-sqlite3': '^9.6.0',
      '@opentelemetry/sdk-trace-base': '^2',
      '@opentelemetry/sdk-metrics': '^2',
    },
  });
  cjsApp.catch(() => undefined);
  esmApp.catch(() => undefined);
});

afterAll(async () => {
  await Promise.allSettled([cjsApp, esmApp]);
  if (process.env.TICKETFLOW_KEEP_SCRATCH) console.error(`[packaging] scratch apps kept in ${workDirectory}`);
  else if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
});

/** The installed app; without a registry outside CI, the test skips and says so loudly. */
async function installed(app: Promise<ScratchApp>, context: TestContext): Promise<ScratchApp> {
  try {
    return await app;
  } catch (error) {
    if (offline && !isCI) {
      const banner = '!'.repeat(78);
      console.error(
        `\n${banner}\n!! The npm registry does not answer and npm's cache cannot install the tarballs:\n!! the packed-tarball apps are SKIPPED (outside CI only).\n${banner}\n`,
      );
      context.skip();
    }
    throw error;
  }
}

function entriesOfAllPackages(): string[] {
  return packed.flatMap((entry) => codeEntries(entry.manifest).map((subpath) => specifierOf(entry.manifest.name, subpath)));
}

function lastJsonLine(stdout: string): { loaded?: Record<string, number>; failed?: Record<string, string>; ok?: boolean; module?: string } {
  const line = stdout
    .trim()
    .split('\n')
    .filter((candidate) => candidate.startsWith('{'))
    .at(-1);
  if (!line) throw new Error(`no JSON report in:\n${stdout}`);
  return JSON.parse(line) as ReturnType<typeof lastJsonLine>;
}

describe('packed tarballs', () => {
  it('every published package packs with dist, LICENSE and README', () => {
    for (const entry of packed) {
      expect(entry.files, entry.manifest.name).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
      expect(
        entry.files.some((file) => file.startsWith('dist/') && file.endsWith('.cjs')),
        `${entry.manifest.name} ships a CommonJS build`,
      ).toBe(true);
      expect(
        entry.files.some((file) => file.startsWith('src/') || file.includes('.test.')),
        `${entry.manifest.name} ships no sources or tests`,
      ).toBe(false);
    }
  });

  // The two apps run side by side (their installs already do): tsc is most of the time.
  it.concurrent('a CommonJS app type-checks (nodenext and node10), runs an agent, and require()s every entry', async (context) => {
    const { expect } = context;
    const app = await installed(cjsApp, context);
    const cwd = app.directory;
    const [nodenext, node10] = await Promise.all([typeErrors(cwd, 'tsconfig.json'), typeErrors(cwd, 'tsconfig.node10.json')]);
    expect(nodenext).toEqual([]);
    expect(node10).toEqual([]);
    expect(readFileSync(join(cwd, 'dist', 'app.js'), 'utf8'), 'tsc emitted CommonJS').toContain('require("@ticketflow/core")');

    const run = await runOrThrow('node', ['dist/app.js'], { cwd });
    expect(lastJsonLine(run.stdout)).toEqual({ ok: true, module: 'commonjs' });

    const required = lastJsonLine((await runOrThrow('node', ['check-require.cjs'], { cwd })).stdout);
    expect(required.failed).toEqual({});
    expect(Object.keys(required.loaded ?? {}).sort()).toEqual(entriesOfAllPackages().sort());

    // Without require(esm) (Jest, older loaders), only the entries listed above may fail.
    const withoutRequireEsm = lastJsonLine((await runOrThrow('node', ['--no-experimental-require-module', 'check-require.cjs'], { cwd })).stdout);
    expect(Object.keys(withoutRequireEsm.failed ?? {}).sort()).toEqual(REQUIRE_ESM_ENTRIES.filter((entry) => entriesOfAllPackages().includes(entry)));
    console.info(`[packaging] CommonJS app: npm install ${app.installMs} ms, better-sqlite3 binary ${app.sqliteBinary}`);
  });

  it.concurrent("an ESM app type-checks, runs an agent, import()s every entry, and the READMEs' code compiles", async (context) => {
    const { expect } = context;
    const app = await installed(esmApp, context);
    const cwd = app.directory;
    const snippets = writeReadmeSnippets(join(cwd, 'snippets'));
    const errors = await typeErrors(cwd, 'tsconfig.json');
    expect(
      errors.map((error) => toReadmeLocations(error, snippets)),
      'the app and the README code blocks type-check',
    ).toEqual([]);
    const run = await runOrThrow('node', ['dist/src/app.js'], { cwd });
    expect(lastJsonLine(run.stdout)).toEqual({ ok: true, module: 'esm' });

    const imported = lastJsonLine((await runOrThrow('node', ['check-import.mjs'], { cwd })).stdout);
    expect(imported.failed).toEqual({});
    expect(Object.keys(imported.loaded ?? {}).sort()).toEqual(entriesOfAllPackages().sort());
    console.info(`[packaging] ESM app: npm install ${app.installMs} ms, ${snippets.length} README blocks type-checked`);
  });
});

/**
 * Runs tsc on a project of a scratch app and returns its errors in the app's code and in
 * ticketflow's declaration files. Declaration files are checked (`skipLibCheck: false`), so a
 * broken type in a tarball cannot hide behind `any`; errors inside other packages' declarations
 * (e.g. ollama's `HeadersInit`, a DOM type) are theirs, and ignored — except xstate's: the
 * core's declarations must not pull them in (they fail under `exactOptionalPropertyTypes`).
 */
async function typeErrors(cwd: string, project: string): Promise<string[]> {
  const result = await runCommand('node', [tsc, '-p', project, '--pretty', 'false'], { cwd });
  if (result.code !== 0 && result.code !== 2) throw new Error(`tsc -p ${project} crashed:\n${result.stdout}\n${result.stderr}`);
  const errors = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => / error TS\d+:/.test(line));
  const ours = (line: string) => line.startsWith('node_modules/@ticketflow/') || line.includes('node_modules/xstate/');
  return errors.filter((line) => !line.startsWith('node_modules/') || ours(line));
}

/** The lowest zod the core's peer range admits (`^4.5.0` → `4.5.0`). */
function minimumZod(): string {
  const core = publishedPackages().find((entry) => entry.manifest.name === '@ticketflow/core');
  const range = core?.manifest.peerDependencies?.zod ?? '';
  const lowest = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
  if (!lowest) throw new Error(`@ticketflow/core's peer range for zod should read ^x.y.z, not "${range}"`);
  return lowest;
}

/** Writes every compiled README block (root README and published packages' READMEs) as a file. */
function writeReadmeSnippets(directory: string): Snippet[] {
  mkdirSync(directory, { recursive: true });
  // A package without a README fails the manifest and pack tests; here it has no code to check.
  const readmes = [join(repositoryRoot, 'README.md'), ...packed.map((entry) => join(entry.directory, 'README.md'))].filter((readme) => existsSync(readme));
  const snippets = readmes.flatMap((readme) => readmeSnippets(readme).snippets);
  for (const snippet of snippets) writeFileSync(join(directory, snippet.fileName), snippet.source);
  return snippets;
}
