import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PackedPackage } from './pack.js';
import { runCommand, runOrThrow } from './run-command.js';
import { repositoryRoot } from './workspace.js';

/** A throwaway app outside the workspace, with the packed tarballs installed by plain npm. */
export interface ScratchApp {
  directory: string;
  installMs: number;
  /** How the better-sqlite3 native addon was obtained: from the cache, or compiled now. */
  sqliteBinary: 'cached' | 'compiled' | 'absent';
}

export interface ScratchAppOptions {
  /** Folder of packaging/apps/ to copy (`cjs` or `esm`), plus apps/shared/. */
  template: 'cjs' | 'esm';
  /** Where to create the app; must not be inside the workspace. */
  directory: string;
  packed: readonly PackedPackage[];
  /** Third-party dependencies, as a user would add them (`zod`, `fastify`, …). */
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** Install from npm's cache only (the registry does not answer). */
  offline: boolean;
}

const appsDirectory = join(repositoryRoot, 'packaging', 'apps');
const cacheDirectory = join(repositoryRoot, 'node_modules', '.cache', 'ticketflow-packaging');

/**
 * Writes the app and runs `npm install` of the tarballs. Install scripts are skipped: the only
 * one that matters is better-sqlite3's native build, which takes a minute on two cores and
 * gives the same binary every time for one version, platform and Node ABI, so it is cached
 * (see {@link provideSqliteBinary}).
 */
export async function createScratchApp(options: ScratchAppOptions): Promise<ScratchApp> {
  const { directory } = options;
  mkdirSync(directory, { recursive: true });
  cpSync(join(appsDirectory, options.template), directory, { recursive: true });
  cpSync(join(appsDirectory, 'shared'), join(directory, 'src'), { recursive: true });
  const tarballs = Object.fromEntries(options.packed.map((entry) => [entry.manifest.name, `file:${entry.tarball}`]));
  const manifest = {
    name: `ticketflow-scratch-${options.template}`,
    version: '1.0.0',
    private: true,
    type: options.template === 'cjs' ? 'commonjs' : 'module',
    dependencies: { ...tarballs, ...options.dependencies },
    devDependencies: options.devDependencies,
  };
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const started = Date.now();
  const flags = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', options.offline ? '--offline' : '--prefer-offline'];
  await runOrThrow('npm', ['install', ...flags], { cwd: directory });
  const installMs = Date.now() - started;
  return { directory, installMs, sqliteBinary: await provideSqliteBinary(directory) };
}

/**
 * Puts better-sqlite3's native addon in place in an app installed with `--ignore-scripts`.
 * The binary is cached in node_modules/.cache/ticketflow-packaging, keyed by version, platform,
 * architecture and Node ABI. On a miss it is seeded from the workspace's own build when that
 * is the same version (pnpm built it at install), else compiled in the app with npm's own
 * `npm rebuild` (prebuild-install, then node-gyp) and cached for the next run.
 */
async function provideSqliteBinary(appDirectory: string): Promise<ScratchApp['sqliteBinary']> {
  const installed = join(appDirectory, 'node_modules', 'better-sqlite3');
  if (!existsSync(installed)) return 'absent';
  const version = versionOf(installed);
  const key = `better-sqlite3-${version}-${process.platform}-${process.arch}-abi${process.versions.modules}.node`;
  const cached = join(cacheDirectory, key);
  const target = join(installed, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(cached)) {
    const workspaceBuild = workspaceSqliteBinary(version);
    if (workspaceBuild) {
      mkdirSync(cacheDirectory, { recursive: true });
      copyFileSync(workspaceBuild, cached);
    }
  }
  if (existsSync(cached)) {
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(cached, target);
    return 'cached';
  }
  const rebuild = await runCommand('npm', ['rebuild', 'better-sqlite3', '--foreground-scripts', '--loglevel=error'], { cwd: appDirectory, timeoutMs: 600_000 });
  if (rebuild.code !== 0 || !existsSync(target)) {
    throw new Error(`better-sqlite3 ${version} could not be built in ${appDirectory}:\n${rebuild.stdout}\n${rebuild.stderr}`);
  }
  mkdirSync(cacheDirectory, { recursive: true });
  copyFileSync(target, cached);
  return 'compiled';
}

/** The workspace's compiled better-sqlite3 addon, when it is the given version. */
function workspaceSqliteBinary(version: string): string | null {
  try {
    const requireFromAdapter = createRequire(join(repositoryRoot, 'packages', 'adapter-sqlite', 'package.json'));
    const directory = dirname(requireFromAdapter.resolve('better-sqlite3/package.json'));
    const binary = join(directory, 'build', 'Release', 'better_sqlite3.node');
    return versionOf(directory) === version && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function versionOf(packageDirectory: string): string {
  return (JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as { version: string }).version;
}

/** True when the npm registry answers `npm ping` (npm's own configuration: registry, proxy, auth) within 15 s. */
export async function registryAnswers(): Promise<boolean> {
  const ping = await runCommand('npm', ['ping', '--loglevel=error'], { cwd: repositoryRoot, timeoutMs: 15_000 });
  return ping.code === 0;
}
