import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The subset of a package.json the packaging tests read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  keywords?: string[];
  repository?: { type?: string; url?: string; directory?: string } | string;
  homepage?: string;
  bugs?: { url?: string } | string;
  type?: string;
  main?: string;
  types?: string;
  files?: string[];
  engines?: Record<string, string>;
  exports?: Record<string, unknown>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** A package of packages/ that is published to the registry (not `private`). */
export interface PublishedPackage {
  /** Folder name under packages/, e.g. `adapter-sqlite`. */
  folder: string;
  directory: string;
  manifest: Manifest;
}

/** Every package under packages/ that is not private, sorted by folder. */
export function publishedPackages(): PublishedPackage[] {
  const packagesDirectory = join(repositoryRoot, 'packages');
  return readdirSync(packagesDirectory)
    .sort()
    .map((folder) => ({ folder, directory: join(packagesDirectory, folder) }))
    .filter(({ directory }) => existsSync(join(directory, 'package.json')))
    .map(({ folder, directory }) => ({ folder, directory, manifest: readManifest(directory) }))
    .filter(({ manifest }) => manifest.private !== true);
}

export function readManifest(directory: string): Manifest {
  return JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as Manifest;
}

/** The subpaths of an exports map that are code entries (`.`, `./testing`, …), not `./package.json`. */
export function codeEntries(manifest: Manifest): string[] {
  return Object.keys(manifest.exports ?? {}).filter((subpath) => !subpath.endsWith('.json'));
}

/** `@ticketflow/core` + `./testing` → `@ticketflow/core/testing`. */
export function specifierOf(name: string, subpath: string): string {
  return subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
}
