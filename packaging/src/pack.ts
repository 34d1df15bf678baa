import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pnpmCommand } from './pnpm.js';
import { runOrThrow } from './run-command.js';
import { repositoryRoot, type PublishedPackage } from './workspace.js';

/** A published package packed the way `pnpm publish` would pack it. */
export interface PackedPackage extends PublishedPackage {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** The paths inside the tarball, e.g. `dist/index.cjs`, `LICENSE`. */
  files: string[];
}

/**
 * The command behind `npm run pack` (scripts/bootstrap.mjs): every package of packages/ packed
 * by pnpm, which turns `workspace:` ranges into real ones, as `pnpm publish` would.
 */
export const PACK_ARGUMENTS = ['--recursive', '--filter', './packages/*', 'pack', '--json', '--pack-destination'];

/** Packs the published packages into `destination`; they must be built. */
export async function packAll(packages: readonly PublishedPackage[], destination: string): Promise<PackedPackage[]> {
  mkdirSync(destination, { recursive: true });
  const unbuilt = packages.filter((entry) => !existsSync(join(entry.directory, 'dist')));
  if (unbuilt.length > 0) {
    throw new Error(`build these packages first (npm run build): ${unbuilt.map((entry) => entry.manifest.name).join(', ')}`);
  }
  const pnpm = pnpmCommand();
  const { stdout } = await runOrThrow(pnpm.command, [...pnpm.args, ...PACK_ARGUMENTS, destination], { cwd: repositoryRoot });
  const reports = JSON.parse(stdout.slice(stdout.indexOf('['))) as { name: string; filename: string; files: { path: string }[] }[];
  return packages.map((entry) => {
    const report = reports.find((candidate) => candidate.name === entry.manifest.name);
    if (!report) throw new Error(`pnpm pack did not pack ${entry.manifest.name}`);
    return { ...entry, tarball: report.filename, files: report.files.map((file) => file.path) };
  });
}
