import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A package the command needs is not installed where the app can see it. */
export class MissingPackageError extends Error {
  readonly packageName: string;

  constructor(packageName: string) {
    super(`${packageName} is not installed`);
    this.name = 'MissingPackageError';
    this.packageName = packageName;
  }
}

/**
 * Imports `packageName` (optionally a subpath such as `./esm/api` of `tsx`) as the app sees
 * it: resolved from each of `directories` in turn (the working directory, then the agent
 * module's), through its `package.json` `exports` to its ESM entry — so a command run with
 * `npx` uses the adapters the app installed, whatever the package manager's layout.
 * @throws {MissingPackageError} when no directory sees the package; any other error of loading it as is.
 */
export async function importFromApp(packageName: string, directories: readonly string[], subpath = '.'): Promise<Record<string, unknown>> {
  for (const directory of directories) {
    const entry = esmEntryFromApp(packageName, directory, subpath);
    if (entry !== undefined) return (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  }
  throw new MissingPackageError(packageName);
}

function esmEntryFromApp(packageName: string, cwd: string, subpath: string): string | undefined {
  const require = createRequire(join(cwd, 'package.json'));
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${packageName}/package.json`);
  } catch {
    try {
      // A package that does not export ./package.json: its CommonJS entry at least.
      return require.resolve(subpath === '.' ? packageName : `${packageName}/${subpath.slice(2)}`);
    } catch {
      return undefined;
    }
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; module?: string; main?: string };
  const target = exportTarget(manifest.exports, subpath) ?? (subpath === '.' ? (manifest.module ?? manifest.main ?? 'index.js') : undefined);
  return target === undefined ? undefined : join(dirname(manifestPath), target);
}

/** The file `exports[subpath]` gives under the `import` (else `node`, else `default`) condition. */
function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (exports === undefined || exports === null) return undefined;
  const isSubpathMap = typeof exports === 'object' && Object.keys(exports).some((key) => key.startsWith('.'));
  const entry = isSubpathMap ? (exports as Record<string, unknown>)[subpath] : subpath === '.' ? exports : undefined;
  return pickCondition(entry);
}

function pickCondition(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const condition of ['import', 'node', 'default']) {
    const found = pickCondition(conditions[condition]);
    if (found !== undefined) return found;
  }
  return undefined;
}
