import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './workspace.js';

/**
 * The pinned pnpm (root package.json `packageManager`): the one running this test when pnpm
 * started it (`npm_execpath`), else one on PATH of that version, else through npx.
 */
export function pnpmCommand(): { command: string; args: string[] } {
  const spec = (JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { packageManager: string }).packageManager;
  const version = spec.split('@')[1]!;
  const running = process.env.npm_execpath;
  if (running && /pnpm/.test(running) && process.env.npm_config_user_agent?.includes(`pnpm/${version}`)) {
    return { command: process.execPath, args: [running] };
  }
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === version) return { command: 'pnpm', args: [] };
  return { command: 'npx', args: ['--yes', spec] };
}
